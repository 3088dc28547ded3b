using Engine.Native.Tun;
using System.Net;
using Engine.Actors.Topology;
using Serilog.Events;
using Xunit;

namespace Engine.Tests.Topology;

public class ValidTopologyTests
{
    [Fact]
    public void Omitted_keys_take_their_defaults()
    {
        var lab = Lab.Valid("engine { devices = [ { name = tun0, type = tun } ] }");

        Assert.Equal(EngineSettings.Default, lab.Settings);
        Assert.Equal(new EngineSettings(TimeSpan.FromSeconds(60), 64, null), lab.Settings);
        Assert.Equal((LogEventLevel.Information, LogFormat.Text), (lab.Settings.LogLevel, lab.Settings.LogFormat));
        Assert.Equal(new DeviceSpec("tun0", DeviceType.Tun, 1500, null, [], [], false, null), Assert.Single(lab.Devices));
        Assert.Empty(lab.Routes);
        Assert.Empty(lab.Namespaces);
        Assert.Equal("device tun0 (tun, mtu 1500) in the engine's namespace, no address", lab.Devices[0].ToString());
    }

    [Fact]
    public void Null_is_the_same_as_leaving_a_key_out()
    {
        var lab = Lab.Valid("""
            engine {
              log-file = null, counters-interval = null, batch-size = null
              devices = [ { name = tun0, type = tun, namespace = null, address = null, gateway = null, mtu = null, persistent = null } ]
              routes = null
            }
            """);

        Assert.Equal(EngineSettings.Default, lab.Settings);
        Assert.Equal(new DeviceSpec("tun0", DeviceType.Tun, 1500, null, [], [], false, null), lab.Devices[0]);
    }

    [Fact]
    public void Unquoted_IPv4_values_and_names_are_read_as_strings()
    {
        var lab = Lab.Valid("""
            engine {
              devices = [ { name = tun-a, type = tun, namespace = host-a, address = 10.0.1.1/24, gateway = 10.0.1.254 } ]
              routes = [ { prefix = 10.0.0.0/8, via = tun-a } ]
            }
            """);

        var device = lab.Devices[0];
        Assert.Equal("host-a", device.Namespace);
        Assert.Equal<InterfaceAddress>([new InterfaceAddress(IPAddress.Parse("10.0.1.1"), 24)], device.Addresses);
        Assert.Equal<IPAddress>([IPAddress.Parse("10.0.1.254")], device.Gateways);
        Assert.Equal(new RouteSpec(IPNetwork.Parse("10.0.0.0/8"), "tun-a"), lab.Routes[0]);
    }

    [Fact]
    public void Kernel_assigned_name_template_is_accepted_and_routable()
    {
        var lab = Lab.Valid("""engine { devices = [ { name = "tun%d", type = tun } ], routes = [ { prefix = "::/0", via = "tun%d" } ] }""");

        Assert.True(lab.Devices[0].IsNameTemplate);
        Assert.Equal("tun%d", lab.Routes[0].Via);
    }

    [Fact]
    public void Gateway_without_namespace_is_allowed()
    {
        var lab = Lab.Valid("""engine { devices = [ { name = tun-a, type = tun, address = "10.0.1.1/24", gateway = "10.0.1.254" } ] }""");

        Assert.Null(lab.Devices[0].Namespace);
        Assert.Equal<IPAddress>([IPAddress.Parse("10.0.1.254")], lab.Devices[0].Gateways);
    }

    [Fact]
    public void Dual_stack_device_with_one_gateway_per_family()
    {
        var lab = Lab.Valid("""
            engine {
              devices = [ { name = tun-b, type = tun, mtu = 1280, address = ["10.0.2.1/24", "fd00:2::1/64"], gateway = ["fd00:2::fe", "10.0.2.254"] } ]
            }
            """);

        Assert.Equal(1280, lab.Devices[0].Mtu);
        Assert.Equal<IPAddress>([IPAddress.Parse("fd00:2::fe"), IPAddress.Parse("10.0.2.254")], lab.Devices[0].Gateways);
    }

    [Theory]
    [InlineData("10s", 10_000)]
    [InlineData("10 s", 10_000)]
    [InlineData("1.5m", 90_000)]
    [InlineData("2 minutes", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("1000", 1_000)]
    [InlineData("1500ms", 1_500)]
    public void Counters_interval_accepts_HOCON_durations(string written, int milliseconds)
    {
        var lab = Lab.Valid(Lab.WithRoutes("", $"counters-interval = {written}"));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), lab.Settings.CountersInterval);
    }

    [Theory]
    [InlineData("verbose", LogEventLevel.Verbose)]
    [InlineData("debug", LogEventLevel.Debug)]
    [InlineData("information", LogEventLevel.Information)]
    [InlineData("warning", LogEventLevel.Warning)]
    [InlineData("error", LogEventLevel.Error)]
    public void Log_level_takes_the_five_names(string written, LogEventLevel level) =>
        Assert.Equal(level, Lab.Valid(Lab.WithRoutes("", $"log-level = {written}")).Settings.LogLevel);

    [Fact]
    public void Log_format_json_and_its_plan()
    {
        var lab = Lab.Valid(Lab.WithRoutes("", "log-format = json, log-level = debug, counters-interval = off"));
        Assert.Equal(LogFormat.Json, lab.Settings.LogFormat);
        Assert.Contains("counters not logged, batch size 64, log debug and above as json to console only\n", lab.Describe());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("0s")]
    [InlineData("off")]
    public void Counters_interval_of_zero_or_off_disables_the_summary(string written) =>
        Assert.Null(Lab.Valid(Lab.WithRoutes("", $"counters-interval = {written}")).Settings.CountersInterval);

    [Theory]
    [InlineData("", DeviceSpec.AllOffloads)]
    [InlineData(", offload = auto", DeviceSpec.AllOffloads)]
    [InlineData(", offload = off", TunOffloads.None)]
    [InlineData(", offload = [checksum]", TunOffloads.Checksum)]
    [InlineData(", offload = [checksum, tso4]", TunOffloads.Checksum | TunOffloads.Tso4)]
    [InlineData(", offload = [tso6, checksum, tso-ecn]", TunOffloads.Checksum | TunOffloads.Tso6 | TunOffloads.TsoEcn)]
    [InlineData(", offload = [checksum, uso]", TunOffloads.Checksum | TunOffloads.Uso4 | TunOffloads.Uso6)]
    public void Offload_is_auto_off_or_the_list_to_ask_for(string written, TunOffloads expected) =>
        Assert.Equal(expected, Lab.Valid(Lab.WithDevices($"{{ name = tun-a, type = tun{written} }}")).Devices[0].Offloads);

    [Fact]
    public void The_plan_names_a_device_s_offloads_unless_they_are_all_asked_for()
    {
        var lab = Lab.Valid(Lab.WithDevices("{ name = tun-a, type = tun, offload = [checksum, tso4] }, { name = tun-b, type = tun }, { name = tun-c, type = tun, offload = off }"));

        Assert.Contains("(tun, mtu 1500, offload checksum, tso4)", lab.Devices[0].ToString());
        Assert.Contains("(tun, mtu 1500)", lab.Devices[1].ToString());
        Assert.Contains("(tun, mtu 1500, offload off)", lab.Devices[2].ToString());
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("yes", true)]
    [InlineData("on", true)]
    [InlineData("false", false)]
    [InlineData("no", false)]
    [InlineData("off", false)]
    public void Persistent_accepts_HOCON_booleans(string written, bool expected) =>
        Assert.Equal(expected, Lab.Valid(Lab.WithDevices($"{{ name = tun-a, type = tun, persistent = {written} }}")).Devices[0].Persistent);

    [Theory]
    [InlineData(1)]
    [InlineData(1024)]
    public void Batch_size_limits_are_inclusive(int batchSize) =>
        Assert.Equal(batchSize, Lab.Valid(Lab.WithRoutes("", $"batch-size = {batchSize}")).Settings.BatchSize);

    [Theory]
    [InlineData("", EngineSettings.DefaultDataplaneNice)]
    [InlineData("dataplane-nice = 0", 0)]
    [InlineData("dataplane-nice = -20", -20)]
    [InlineData("dataplane-nice = 19", 19)]
    public void Dataplane_nice_defaults_to_the_applications_and_its_limits_are_inclusive(string written, int expected) =>
        Assert.Equal(expected, Lab.Valid(Lab.WithRoutes("", written)).Settings.DataplaneNice);

    [Theory]
    [InlineData("", EngineSettings.DefaultFloodNice)]
    [InlineData("flood-nice = 19", 19)]
    [InlineData("flood-nice = 0", 0)]                       // the usual value: no backoff
    [InlineData("dataplane-nice = 8", 8)]                   // above the default: no backoff, not an error
    [InlineData("dataplane-nice = -5, flood-nice = -5", -5)]
    public void Flood_nice_defaults_to_5_and_is_never_below_dataplane_nice(string written, int expected) =>
        Assert.Equal(expected, Lab.Valid(Lab.WithRoutes("", written)).Settings.FloodNice);

    [Theory]
    [InlineData("", EngineSettings.DefaultDataplaneRealtime)]
    [InlineData("dataplane-realtime = 1", 1)]
    [InlineData("dataplane-realtime = 99", 99)]
    public void Dataplane_realtime_is_off_unless_written_and_takes_a_sched_fifo_priority(string written, int expected) =>
        Assert.Equal(expected, Lab.Valid(Lab.WithRoutes("", written)).Settings.DataplaneRealtime);

    [Theory]
    [InlineData("", 0)]
    [InlineData("busy-poll = 200us", 200)]
    [InlineData("busy-poll = 0.5ms", 500)]
    [InlineData("busy-poll = 0", 0)]
    public void Busy_poll_is_off_unless_written_and_takes_microseconds(string written, int microseconds) =>
        Assert.Equal(TimeSpan.FromMicroseconds(microseconds), Lab.Valid(Lab.WithRoutes("", written)).Settings.BusyPoll);

    [Fact]
    public void The_plan_says_how_long_the_data_plane_polls() =>
        Assert.Contains("batch size 64, data plane polls 200us before it sleeps, log", Lab.Valid(Lab.WithRoutes("", "busy-poll = 200us")).Describe());

    [Theory]
    [InlineData(68)]
    [InlineData(65535)]
    public void Mtu_limits_are_inclusive(int mtu) =>
        Assert.Equal(mtu, Lab.Valid(Lab.WithDevices($"{{ name = tun-a, type = tun, mtu = {mtu} }}")).Devices[0].Mtu);

    [Fact]
    public void Substitutions_dotted_keys_and_repeated_sections_are_HOCON()
    {
        var lab = Lab.Valid("""
            lab.ns = host-a
            engine { batch-size = 8 }
            engine.devices = [
              { name = tun-a, type = tun, namespace = ${lab.ns} },
            ]
            engine { log-file = "/tmp/engine.log" }
            """);

        Assert.Equal(new EngineSettings(EngineSettings.DefaultCountersInterval, 8, "/tmp/engine.log"), lab.Settings);
        Assert.Equal("host-a", lab.Devices[0].Namespace);
    }

    [Fact]
    public void List_entries_may_be_separated_by_commas_or_new_lines()
    {
        var lab = Lab.Valid("""
            engine {
              devices = [
                { name = tun-a, type = tun }
                , { name = tun-b, type = tun }, { name = tun-c, type = tun },
                { name = tun-d, type = tun }
              ]
            }
            """);

        Assert.Equal(["tun-a", "tun-b", "tun-c", "tun-d"], lab.Devices.Select(device => device.Name));
    }

    [Fact]
    public void Comment_in_the_last_character_of_the_file_is_a_comment() =>
        Assert.Equal("a", Lab.Valid("engine { devices = [ { name = a, type = tun } ] }#").Devices[0].Name);

    [Fact]
    public void Sketch_from_the_design_notes_is_accepted_but_for_its_switch()
    {
        var result = TopologyParser.Parse("""
            engine {
              devices = [
                { name = tun-a, type = tun, namespace = host-a, address = "10.0.1.1/24", gateway = "10.0.1.254" }
                { name = tun-b, type = tun, namespace = host-b, address = "10.0.2.1/24", gateway = "10.0.2.254" }
                { name = tap-c, type = tap, switch = lan1 }
              ]
              routes = [
                { prefix = "10.0.1.0/24", via = tun-a }
                { prefix = "10.0.2.0/24", via = tun-b }
              ]
            }
            """);

        Assert.Equal(
            ["engine.devices[2].switch: a device does not name its switch: list it among the ports of engine.switches = [ { name, ports = [...] } ]"],
            result.ErrorLines);
    }

    [Fact]
    public void Plan_for_a_minimal_lab()
    {
        var lab = Lab.Valid("""engine { devices = [ { name = "tun%d", type = tun, persistent = false }, { name = tap0, type = tap, persistent = true, mtu = 9000 } ] }""");

        Assert.Equal("""
            device tun%d (tun, mtu 1500, name assigned by the kernel) in the engine's namespace, no address
            device tap0 (tap, mtu 9000, persistent) in the engine's namespace, no address
            no routes
            counters logged every 1m, batch size 64, log information and above as text to console only

            """.ReplaceLineEndings("\n"), lab.Describe());
    }
}
