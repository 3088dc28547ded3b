using Engine.IntegrationTests.Infrastructure;
using Engine.IntegrationTests.Infrastructure.Frr;
using Xunit;
using Xunit.Abstractions;
using static Engine.IntegrationTests.Infrastructure.Frr.FrrChecks;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// A switch's router interface with real hosts: a1 and a2 on taps of switch sw1, whose gateway
/// is the engine's 10.83.5.254/24 and fd83:5::fe/64, and t on a routed tun. Each tap host resolves
/// and pings the gateway and the tun host over IPv4 and IPv6, the tun host pings both (the engine
/// resolving them by ARP and ND flooded through the switch), the tap hosts still reach each other
/// directly, and a traceroute from a switch host shows the gateway as the first hop (its ICMP time
/// exceeded comes from the gateway address). TCP crosses the router interface both ways, and two
/// FRR hosts on the switch form an OSPF adjacency past it.
/// </summary>
[Collection("engine")]
public sealed class SwitchRouterTests(ITestOutputHelper output)
{
    private const string GatewayV4 = "10.83.5.254";
    private const string GatewayV6 = "fd83:5::fe";
    private const string TunHostV4 = "10.83.9.1";
    private const string TunHostV6 = "fd83:9::1";

    [IntegrationFact]
    public void Hosts_on_a_switch_reach_the_gateway_and_a_routed_host_through_its_router_interface_and_back()
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(Config(lab));
        try
        {
            foreach (var host in new[] { 1, 2 })
            {
                var ns = lab.Namespace($"a{host}");
                AssertPing(output, ns, GatewayV4);
                AssertPing(output, ns, GatewayV6);
                AssertPing(output, ns, TunHostV4);
                AssertPing(output, ns, TunHostV6);
            }
            foreach (var host in new[] { 1, 2 })
            {
                AssertPing(output, lab.Namespace("t"), $"10.83.5.{host}");
                AssertPing(output, lab.Namespace("t"), $"fd83:5::{host}");
            }
            AssertPing(output, lab.Namespace("a1"), "10.83.5.2");
            AssertPing(output, lab.Namespace("a2"), "fd83:5::1");

            // The neighbours the hosts learned for their gateway: the router interface's MAC, the same for both families.
            var neighbours = Shell.InNamespace(lab.Namespace("a1"), $"ip neigh show dev {lab.Device("a1")}").Output;
            output.WriteLine(neighbours);
            Assert.Contains(GatewayV4 + " lladdr", neighbours);
            Assert.Contains(GatewayV6 + " lladdr", neighbours);
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void A_traceroute_from_a_switch_host_gets_its_first_hops_time_exceeded_from_the_gateway()
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(Config(lab));
        try
        {
            var trace = Shell.InNamespace(lab.Namespace("a2"), $"traceroute -n -q 1 -w 2 -m 5 {TunHostV4}");
            output.WriteLine(trace.All);
            Assert.Equal(0, trace.ExitCode);
            var hops = trace.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
            Assert.Contains(GatewayV4, hops[0]);
            Assert.Contains(TunHostV4, hops[1]);

            var trace6 = Shell.InNamespace(lab.Namespace("a1"), $"traceroute -6 -n -q 1 -w 2 -m 5 {TunHostV6}");
            output.WriteLine(trace6.All);
            Assert.Equal(0, trace6.ExitCode);
            var hops6 = trace6.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
            Assert.Contains(GatewayV6, hops6[0]);
            Assert.Contains(TunHostV6, hops6[1]);
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void Tcp_crosses_the_router_interface_both_ways_with_the_devices_offloads_on()
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(Config(lab));
        try
        {
            // A tap host's super-frames enter the router through the switch; the tun host's are
            // cut for the router interface, then switched to the tap host.
            var up = Iperf3.Tcp(lab.Namespace("a1"), lab.Namespace("t"), TunHostV4);
            var down = Iperf3.Tcp(lab.Namespace("t"), lab.Namespace("a2"), "10.83.5.2");
            output.WriteLine($"a1 -> t {up.BitsPerSecond / 1e9:F2} Gbit/s, t -> a2 {down.BitsPerSecond / 1e9:F2} Gbit/s");
            Assert.DoesNotMatch("(malformed|unsupported|too-big|no-buffer)=", engine.Log);
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void Two_frr_hosts_on_the_switch_form_an_ospf_adjacency_past_the_router_interface_and_still_reach_the_routed_host()
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(Config(lab));
        var hosts = new List<FrrHost>();
        try
        {
            foreach (var node in new[] { 1, 2 })
            {
                var host = new FrrHost(lab.Namespace($"a{node}"), $"/tmp/et{lab.Id}-frr{node}");
                hosts.Add(host);
                foreach (var command in new[] { "ip link set lo up", $"ip addr add 10.83.255.{node}/32 dev lo" })
                    Assert.Equal(0, Shell.InNamespace(host.Namespace, command).ExitCode);
                host.Start("zebra", $"hostname a{node}\n");
                host.Start("ospfd", $"""
                    hostname a{node}
                    interface {lab.Device($"a{node}")}
                     ip ospf network broadcast
                     ip ospf hello-interval 1
                     ip ospf dead-interval 4
                    router ospf
                     ospf router-id 10.83.255.{node}
                     network 10.83.5.0/24 area 0
                     network 10.83.255.{node}/32 area 0
                    """);
            }

            // The hellos reach the other host through the switch, and the router interface too (not routable there).
            Eventually(output, "each host FULL with the other", () => hosts.All(h => HasNeighborIn(h, "show ip ospf neighbor json", "Full")));
            Eventually(output, "each host routes the other's loopback on the segment", () =>
                KernelRoutes(lab.Namespace("a1"), "10.83.255.2", lab.Device("a1")) && KernelRoutes(lab.Namespace("a2"), "10.83.255.1", lab.Device("a2")));
            AssertPing(output, lab.Namespace("a1"), "10.83.255.2", source: "10.83.255.1");
            AssertPing(output, lab.Namespace("a2"), TunHostV4);
            AssertPing(output, lab.Namespace("t"), "10.83.5.1");
        }
        finally
        {
            foreach (var host in hosts)
            {
                output.WriteLine(host.Logs());
                host.Dispose();
            }
            output.WriteLine(engine.Log);
        }
    }

    private static string Config(TestLab lab) => $$"""
        engine {
          counters-interval = 1s
          devices = [
            { name = {{lab.Device("a1")}}, type = tap, namespace = {{lab.Namespace("a1")}}, address = ["10.83.5.1/24", "fd83:5::1/64"], gateway = ["{{GatewayV4}}", "{{GatewayV6}}"] }
            { name = {{lab.Device("a2")}}, type = tap, namespace = {{lab.Namespace("a2")}}, address = ["10.83.5.2/24", "fd83:5::2/64"], gateway = ["{{GatewayV4}}", "{{GatewayV6}}"] }
            { name = {{lab.Device("t")}}, type = tun, namespace = {{lab.Namespace("t")}}, address = ["{{TunHostV4}}/24", "{{TunHostV6}}/64"], gateway = ["10.83.9.254", "fd83:9::fe"] }
          ]
          switches = [ { name = sw1, ports = [{{lab.Device("a1")}}, {{lab.Device("a2")}}], gateway = ["{{GatewayV4}}/24", "{{GatewayV6}}/64"] } ]
          routes = [
            { prefix = "10.83.5.0/24", via = sw1 }
            { prefix = "fd83:5::/64", via = sw1 }
            { prefix = "10.83.9.0/24", via = {{lab.Device("t")}} }
            { prefix = "fd83:9::/64", via = {{lab.Device("t")}} }
          ]
        }
        """;
}
