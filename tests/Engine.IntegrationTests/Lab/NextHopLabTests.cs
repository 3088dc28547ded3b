using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// Next-hop routes through real hosts that are routers: h2 on a tap forwards to a further namespace
/// (far2) over a veth pair, h3 on a tun to far3. The lab file writes no route for the hosts' own
/// subnets (connected routes carry them), only "10.S.20.0/24 via 10.S.2.1" and the like.
/// </summary>
[Collection("engine")]
public sealed class NextHopLabTests(ITestOutputHelper output)
{
    private const int Subnet = 91;

    [IntegrationFact]
    public void Hosts_behind_a_tap_router_and_a_tun_router_are_reached_end_to_end_by_next_hop_routes()
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(Config(lab));
        try
        {
            BehindRouter(lab, "h2", "far2", 20);
            BehindRouter(lab, "h3", "far3", 30);

            // Through the tap router: the engine asks ARP (and ND) for 10.91.2.1, not for the destination.
            AssertPing(lab.Namespace("h1"), $"10.{Subnet}.20.2");
            AssertPing(lab.Namespace("far2"), LabConfigs.V4(Subnet, 1));
            AssertPing(lab.Namespace("h1"), $"fd{Subnet:x2}:20::2");
            AssertPing(lab.Namespace("far2"), LabConfigs.V6(Subnet, 1));
            // Through the tun router: on-link, the packet just goes out of the tun.
            AssertPing(lab.Namespace("h1"), $"10.{Subnet}.30.2");
            AssertPing(lab.Namespace("far3"), LabConfigs.V4(Subnet, 1));
            // Connected routes alone join the hosts themselves.
            AssertPing(lab.Namespace("h2"), LabConfigs.V4(Subnet, 3));

            // A next hop no connected subnet holds: the route is inactive, logged, and its traffic finds no route.
            Assert.Contains($"route 10.{Subnet}.99.0/24 via 10.{Subnet}.98.1 is inactive", engine.Log);
            var lost = Shell.InNamespace(lab.Namespace("h1"), $"ping -n -c 1 -W 2 10.{Subnet}.99.1");
            output.WriteLine(lost.All);
            Assert.NotEqual(0, lost.ExitCode);
            Assert.Contains("Unreachable", lost.Output);
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    /// <summary>Hosts h1 (tun), h2 (tap), h3 (tun); routes only to what lies behind h2 and h3, and one with a next hop nowhere.</summary>
    private static string Config(TestLab lab)
    {
        var hosts = LabConfigs.Hosts(lab, 3, Subnet, type: host => host == 2 ? "tap" : "tun");
        var devices = hosts[..hosts.IndexOf("  routes = [", StringComparison.Ordinal)];
        return devices + $$"""
              routes = [
                { prefix = "10.{{Subnet}}.20.0/24", via = 10.{{Subnet}}.2.1 }
                { prefix = "fd{{Subnet:x2}}:20::/64", via = "fd{{Subnet:x2}}:2::1" }
                { prefix = "10.{{Subnet}}.30.0/24", via = 10.{{Subnet}}.3.1 }
                { prefix = "10.{{Subnet}}.99.0/24", via = 10.{{Subnet}}.98.1 }
              ]
            }

            """;
    }

    /// <summary>
    /// Makes lab host <paramref name="router"/> a router for 10.S.N.0/24 and fdS:N::/64: a new
    /// namespace <paramref name="far"/> behind it on a veth pair, its default route back through the host.
    /// </summary>
    private static void BehindRouter(TestLab lab, string router, string far, int n)
    {
        var inside = lab.Namespace(router);
        var behind = lab.Namespace(far);
        Shell.MustRun("ip", $"netns add {behind}");
        Shell.MustRun("ip", $"netns exec {inside} ip link add fwd{n} type veth peer name back{n} netns {behind}");
        Shell.MustRunIn(inside, "sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1");
        Shell.MustRunIn(inside, $"ip address add 10.{Subnet}.{n}.1/24 dev fwd{n}");
        Shell.MustRunIn(inside, $"ip address add fd{Subnet:x2}:{n}::1/64 dev fwd{n} nodad");
        Shell.MustRunIn(inside, $"ip link set fwd{n} up");
        Shell.MustRunIn(behind, "ip link set lo up");
        Shell.MustRunIn(behind, $"ip address add 10.{Subnet}.{n}.2/24 dev back{n}");
        Shell.MustRunIn(behind, $"ip address add fd{Subnet:x2}:{n}::2/64 dev back{n} nodad");
        Shell.MustRunIn(behind, $"ip link set back{n} up");
        Shell.MustRunIn(behind, $"ip route add default via 10.{Subnet}.{n}.1");
        Shell.MustRunIn(behind, $"ip -6 route add default via fd{Subnet:x2}:{n}::1");
    }

    private void AssertPing(string ns, string address)
    {
        var ping = Shell.InNamespace(ns, $"ping -n -c 3 -i 0.2 -W 2 {address}");
        output.WriteLine(ping.All);
        Assert.True(ping.ExitCode == 0, $"ping {address} from {ns} failed:\n{ping.All}");
    }
}
