using System.Net;
using Engine.Actors.Topology;
using Xunit;

namespace Engine.Tests.Topology;

/// <summary>engine.openflow: read with its defaults, shown in the plan with the port numbers, and refused one line per error.</summary>
public class OpenFlowTopologyTests
{
    /// <summary>Devices tun-a, tap-b; peer east; then the openflow block given.</summary>
    private static string WithOpenFlow(string openFlow) => $$"""
        engine {
          devices = [
            { name = tun-a, type = tun, namespace = host-a, address = "10.0.1.1/24" }
            { name = tap-b, type = tap, namespace = host-b, address = "10.0.2.1/24" }
          ]
          peers = [ { name = east, role = engine, transport = tcp, connect = "127.0.0.1:7000", framing = engine } ]
          openflow {{openFlow}}
        }
        """;

    [Fact]
    public void A_lab_without_openflow_has_none()
    {
        Assert.Null(Lab.Valid(Lab.WithRoutes("")).OpenFlow);
    }

    [Fact]
    public void Defaults_are_standalone_datapath_1_and_a_5s_echo()
    {
        var lab = Lab.Valid(WithOpenFlow("""{ controllers = ["tcp:127.0.0.1:6653"] }"""));

        Assert.Equal(new OpenFlowSpec([new OpenFlowEndpoint(new IPEndPoint(IPAddress.Loopback, 6653))], 1, OpenFlowFailMode.Standalone, TimeSpan.FromSeconds(5)), lab.OpenFlow);
        Assert.Equal([(1, "tun-a"), (2, "tap-b"), (3, "east")], lab.OpenFlowPorts.ToArray());
    }

    [Fact]
    public void Every_key_is_read_and_the_plan_shows_the_switch_and_its_ports()
    {
        var lab = Lab.Valid(WithOpenFlow("""
            {
                controllers = ["tcp:127.0.0.1:6653", "tcp:[::1]:6654", "tcp:127.0.0.2"]
                datapath-id = "00000000000000ab"
                fail-mode = secure
                echo-interval = 2s
                packet-in-budget-kib = 64
              }
            """));

        Assert.Equal(
            new OpenFlowSpec(
                [
                    new OpenFlowEndpoint(new IPEndPoint(IPAddress.Loopback, 6653)), new OpenFlowEndpoint(new IPEndPoint(IPAddress.IPv6Loopback, 6654)),
                    new OpenFlowEndpoint(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 6653)),
                ],
                0xab, OpenFlowFailMode.Secure, TimeSpan.FromSeconds(2)) { PacketInBudgetKib = 64 },
            lab.OpenFlow);
        Assert.Contains(
            "openflow 1.3 switch, datapath id 00000000000000ab, fail-mode secure, echo every 2s, dialing tcp:127.0.0.1:6653, tcp:[::1]:6654, tcp:127.0.0.2:6653\n"
            + "openflow ports 1 tun-a, 2 tap-b, 3 east\n",
            lab.Describe());
    }

    [Theory]
    [InlineData("ptcp:6653", "0.0.0.0:6653")] // every address, as Open vSwitch
    [InlineData("ptcp:16653:127.0.0.1", "127.0.0.1:16653")]
    [InlineData("ptcp:6653:[::1]", "[::1]:6653")]
    public void A_listen_address_is_read_as_open_vswitch_writes_it(string text, string expected)
    {
        var lab = Lab.Valid(WithOpenFlow($$"""{ controllers = ["tcp:127.0.0.1:6653"], listen = "{{text}}" }"""));
        var listen = lab.OpenFlow!.Listen!;
        Assert.Equal(new OpenFlowEndpoint(IPEndPoint.Parse(expected)), listen);
        Assert.Contains($"listening on ptcp:{listen.Address.Port}:{listen.Address.Address}", lab.Describe());
    }

    [Theory]
    [InlineData("0x1f", 0x1fUL)]
    [InlineData("0X00000000000000FF", 0xffUL)]
    [InlineData("0000000000000010", 0x10UL)]
    [InlineData("42", 42UL)]
    [InlineData("18446744073709551615", ulong.MaxValue)]
    public void Datapath_ids_are_read_as_written(string text, ulong expected)
    {
        var lab = Lab.Valid(WithOpenFlow($$"""{ controllers = ["tcp:127.0.0.1:6653"], datapath-id = "{{text}}" }"""));
        Assert.Equal(expected, lab.OpenFlow!.DatapathId);
    }

    [Theory]
    [InlineData("""{ datapath-id = 1 }""", "engine.openflow.controllers: required")]
    [InlineData("""{ controllers = [] }""", "engine.openflow.controllers: must name at least one controller, a controller like \"tcp:127.0.0.1:6653\", \"tcp:[::1]:6653\" or \"ssl:127.0.0.1:6653\"")]
    [InlineData("""{ controllers = "tcp:127.0.0.1:6653" }""", "engine.openflow.controllers: must be a list, got \"tcp:127.0.0.1:6653\"")]
    [InlineData("""{ controllers = ["127.0.0.1:6653"] }""", "engine.openflow.controllers[0]: must be a controller like \"tcp:127.0.0.1:6653\", \"tcp:[::1]:6653\" or \"ssl:127.0.0.1:6653\", got \"127.0.0.1:6653\"")]
    [InlineData("""{ controllers = ["ssl:127.0.0.1:6653"] }""", "engine.openflow.controllers[0]: ssl:127.0.0.1:6653 needs engine.openflow.tls { private-key, certificate, ca-certificate }")]
    [InlineData("""{ controllers = ["tcp:127.0.0.1"], listen = "pssl:6653" }""", "engine.openflow.listen: pssl:6653 needs engine.openflow.tls { private-key, certificate, ca-certificate }")]
    [InlineData("""{ controllers = ["ptcp:6653"] }""", "engine.openflow.controllers[0]: ptcp: is not supported; the engine dials controllers over tcp: or ssl: \"ptcp:6653\"")]
    [InlineData("""{ controllers = ["tcp:127.0.0.1:70000"] }""", "engine.openflow.controllers[0]: port 70000 is out of range (1..65535): \"127.0.0.1:70000\"")]
    [InlineData("""{ controllers = ["tcp:0.0.0.0:6653"] }""", "engine.openflow.controllers[0]: cannot connect to the unspecified address 0.0.0.0: \"0.0.0.0:6653\"")]
    [InlineData("""{ controllers = ["tcp:127.0.0.1:6653", "tcp:127.0.0.1"] }""", "engine.openflow.controllers[1]: tcp:127.0.0.1:6653 is listed twice")]
    [InlineData("""{ controllers = ["tcp:127.0.0.1"], datapath-id = "0xg" }""",
        "engine.openflow.datapath-id: must be a datapath id: 16 hex digits as Open vSwitch writes it, 0x and up to 16 hex digits, or a decimal number, got \"0xg\"")]
    [InlineData("""{ controllers = ["tcp:127.0.0.1"], datapath-id = "18446744073709551616" }""",
        "engine.openflow.datapath-id: must be a datapath id: 16 hex digits as Open vSwitch writes it, 0x and up to 16 hex digits, or a decimal number, got 18446744073709551616")]
    [InlineData("""{ controllers = ["tcp:127.0.0.1"], fail-mode = open }""", "engine.openflow.fail-mode: must be secure or standalone, got \"open\"")]
    [InlineData("""{ controllers = ["tcp:127.0.0.1"], echo-interval = 10ms }""", "engine.openflow.echo-interval: must be at least 100ms, got \"10ms\"")]
    [InlineData("""{ controllers = ["tcp:127.0.0.1"], packet-in-budget-kib = 4096 }""", "engine.openflow.packet-in-budget-kib: must be a number from 16 to 2048, got 4096")]
    [InlineData("""{ controllers = ["tcp:127.0.0.1"], role = master }""", "engine.openflow.role: unknown key")]
    [InlineData("""{ controllers = ["tcp:127.0.0.1"], listen = "tcp:6653" }""",
        "engine.openflow.listen: must be where to take controllers' connections, like \"ptcp:6653\", \"ptcp:6653:127.0.0.1\" or \"pssl:6653:127.0.0.1\", got \"tcp:6653\"")]
    [InlineData("""{ controllers = ["tcp:127.0.0.1"], listen = "ptcp:0" }""",
        "engine.openflow.listen: must be where to take controllers' connections, like \"ptcp:6653\", \"ptcp:6653:127.0.0.1\" or \"pssl:6653:127.0.0.1\", got \"ptcp:0\"")]
    [InlineData("""= tcp""", "engine.openflow: must be an object, got \"tcp\"")]
    public void Bad_values_are_refused_one_line_each(string openFlow, string expected)
    {
        Assert.Equal([expected], Lab.Errors(WithOpenFlow(openFlow)));
    }

    [Fact]
    public void Every_error_gets_its_own_line()
    {
        var errors = Lab.Errors(WithOpenFlow("""{ controllers = ["udp:127.0.0.1:1", "tcp:127.0.0.1:0"], fail-mode = x }"""));
        Assert.Equal(3, errors.Length);
    }
}
