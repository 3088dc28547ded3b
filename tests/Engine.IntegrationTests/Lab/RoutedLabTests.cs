using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// Whole labs on real tun devices in namespaces the tests create through the engine:
/// reachability with ping, the engine as a traceroute hop, a four-host mesh, TCP throughput,
/// path-MTU discovery, and a clean teardown.
/// </summary>
[Collection("engine")]
public sealed class RoutedLabTests(ITestOutputHelper output)
{
    private const int Subnet = 77;

    [IntegrationFact]
    public void Hosts_ping_each_other_both_ways_over_ipv4_and_ipv6()
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(LabConfigs.Hosts(lab, 2, Subnet));
        try
        {
            AssertPing(lab.Namespace("h1"), LabConfigs.V4(Subnet, 2));
            AssertPing(lab.Namespace("h2"), LabConfigs.V4(Subnet, 1));
            AssertPing(lab.Namespace("h1"), LabConfigs.V6(Subnet, 2));
            AssertPing(lab.Namespace("h2"), LabConfigs.V6(Subnet, 1));
            // The engine answers for its own address on each link, as a router does.
            AssertPing(lab.Namespace("h1"), LabConfigs.GatewayV4(Subnet, 1));
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void Traceroute_shows_the_engine_as_the_first_hop()
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(LabConfigs.Hosts(lab, 2, Subnet));
        var trace = Shell.InNamespace(lab.Namespace("h1"), $"traceroute -n -q 1 -w 2 -m 5 {LabConfigs.V4(Subnet, 2)}");
        output.WriteLine(trace.All);
        Assert.Equal(0, trace.ExitCode);
        var hops = trace.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.Contains(LabConfigs.GatewayV4(Subnet, 1), hops[0]);
        Assert.Contains(LabConfigs.V4(Subnet, 2), hops[1]);
    }

    [IntegrationFact]
    public void Four_hosts_on_four_devices_all_reach_each_other()
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(LabConfigs.Hosts(lab, 4, Subnet));
        for (var from = 1; from <= 4; from++)
            for (var to = 1; to <= 4; to++)
                if (from != to) AssertPing(lab.Namespace($"h{from}"), LabConfigs.V4(Subnet, to));
    }

    [IntegrationFact]
    public void A_tun_host_and_a_tap_host_reach_each_other_through_arp_and_neighbour_discovery()
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(LabConfigs.Hosts(lab, 2, Subnet, type: host => host == 2 ? "tap" : "tun"));
        try
        {
            // The engine resolves the tap host with ARP, holding the first packet meanwhile: a
            // single ping to a host it has never heard from gets its answer.
            var first = Shell.InNamespace(lab.Namespace("h1"), $"ping -n -c 1 -W 3 {LabConfigs.V4(Subnet, 2)}");
            output.WriteLine(first.All);
            Assert.True(first.ExitCode == 0, $"the first packet to the tap host was lost:\n{first.All}");
            var firstV6 = Shell.InNamespace(lab.Namespace("h1"), $"ping -n -c 1 -W 3 {LabConfigs.V6(Subnet, 2)}");
            Assert.True(firstV6.ExitCode == 0, $"the first IPv6 packet to the tap host was lost:\n{firstV6.All}");

            // The tap host resolves its gateway the same way.
            AssertPing(lab.Namespace("h2"), LabConfigs.GatewayV4(Subnet, 2));
            AssertPing(lab.Namespace("h2"), LabConfigs.V4(Subnet, 1));
            AssertPing(lab.Namespace("h1"), LabConfigs.V4(Subnet, 2));
            AssertPing(lab.Namespace("h2"), LabConfigs.V6(Subnet, 1));
            AssertPing(lab.Namespace("h1"), LabConfigs.V6(Subnet, 2));
            var neighbours = Shell.InNamespace(lab.Namespace("h2"), "ip neigh show");
            output.WriteLine(neighbours.All);
            Assert.Contains(LabConfigs.GatewayV4(Subnet, 2), neighbours.Output);
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void The_data_plane_threads_run_at_the_configured_nice_value()
    {
        using var lab = new TestLab();
        var config = LabConfigs.Hosts(lab, 2, Subnet, settings: i => i == 1 ? "queues = 2" : "")
            .Replace("engine {\n", "engine {\n  dataplane-nice = 4\n", StringComparison.Ordinal);
        using var engine = EngineProcess.Start(config);
        Assert.Contains("data plane at nice 4", engine.Log);
        var threads = ThreadNice.ByName(engine.Pid);
        // The reactor that reads, routes and writes, and the reader of the multi-queue device's second queue.
        Assert.Equal(4, threads["dataplane"]);
        var queueReader = $"{lab.Device("h1")}-q1";
        Assert.Equal(4, threads[queueReader[..Math.Min(15, queueReader.Length)]]);
        Assert.Equal(0, threads["engine.control-"]);
        AssertPing(lab.Namespace("h1"), LabConfigs.V4(Subnet, 2));
    }

    [IntegrationFact]
    public void Iperf3_tcp_completes_through_the_engine()
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(LabConfigs.Hosts(lab, 2, Subnet));
        var (bytes, bitsPerSecond) = Iperf3.Tcp(lab.Namespace("h1"), lab.Namespace("h2"), LabConfigs.V4(Subnet, 2), seconds: 3);
        output.WriteLine($"iperf3: {bytes} bytes, {bitsPerSecond / 1e9:F2} Gbit/s");
    }

    [IntegrationFact]
    public void Path_mtu_discovery_gets_fragmentation_needed_with_the_egress_mtu()
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(LabConfigs.Hosts(lab, 2, Subnet, mtu: host => host == 2 ? 1280 : 1500));
        var ping = Shell.InNamespace(lab.Namespace("h1"), $"ping -n -c 2 -i 0.3 -W 2 -M do -s 1400 {LabConfigs.V4(Subnet, 2)}");
        output.WriteLine(ping.All);
        Assert.NotEqual(0, ping.ExitCode);
        Assert.Contains($"From {LabConfigs.GatewayV4(Subnet, 1)} icmp_seq=1 Frag needed and DF set (mtu = 1280)", ping.All);

        // A packet that fits goes through.
        AssertPing(lab.Namespace("h1"), LabConfigs.V4(Subnet, 2), "-M do -s 1200");

        var ping6 = Shell.InNamespace(lab.Namespace("h1"), $"ping -6 -n -c 2 -i 0.3 -W 2 -M do -s 1400 {LabConfigs.V6(Subnet, 2)}");
        output.WriteLine(ping6.All);
        Assert.NotEqual(0, ping6.ExitCode);
        Assert.Contains($"From {LabConfigs.GatewayV6(Subnet, 1)} icmp_seq=1 Packet too big: mtu=1280", ping6.All);
    }

    [IntegrationFact]
    public void Sigterm_leaves_no_namespace_or_device_behind()
    {
        using var lab = new TestLab();
        var engine = EngineProcess.Start(LabConfigs.Hosts(lab, 2, Subnet));
        Assert.Contains(lab.Namespace("h1"), Shell.Namespaces());
        Assert.Equal(0, engine.Terminate());
        output.WriteLine(engine.Log);
        engine.Dispose();

        Assert.DoesNotContain(lab.Namespace("h1"), Shell.Namespaces());
        Assert.DoesNotContain(lab.Namespace("h2"), Shell.Namespaces());
        Assert.False(Shell.LinkExists(lab.Device("h1")));
        Assert.False(Shell.LinkExists(lab.Device("h2")));
    }

    [IntegrationFact]
    public void A_bad_config_is_refused_with_exit_code_2_and_creates_nothing()
    {
        using var lab = new TestLab();
        var hocon = LabConfigs.Hosts(lab, 2, Subnet).Replace("type = tun", "type = tan")
            .Replace($"via = {lab.Device("h2")}", "via = nowhere");
        using var engine = EngineProcess.Launch("run", hocon);
        Assert.True(engine.WaitForExit(TimeSpan.FromSeconds(30)));
        output.WriteLine(engine.Log);
        Assert.Equal(2, engine.ExitCode);
        Assert.Contains("engine.devices[0].type: ", engine.Log);
        Assert.Contains("engine.routes[2].via: ", engine.Log);
        Assert.DoesNotContain(lab.Namespace("h1"), Shell.Namespaces());
        Assert.False(Shell.LinkExists(lab.Device("h1")));
    }

    private void AssertPing(string ns, string address, string extra = "") => Pings.AssertAnswered(output, ns, address, extra);
}
