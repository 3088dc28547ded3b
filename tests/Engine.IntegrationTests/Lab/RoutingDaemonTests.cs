using System.Text;
using Engine.IntegrationTests.Infrastructure;
using Engine.IntegrationTests.Infrastructure.Frr;
using Xunit;
using Xunit.Abstractions;
using static Engine.IntegrationTests.Infrastructure.Frr.FrrChecks;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// A routing daemon drives the engine end to end (issue 13): FRR in the control-plane namespace
/// is the lab hosts' neighbour on the ports' mirror interfaces, and its zebra (<c>-M
/// dplane_fpm_nl</c>) feeds what it selects into the engine's table over FPM. Over OSPF and over
/// eBGP the engine learns the hosts' loopbacks and carries the traffic between them; when a
/// host's preferred link goes down, OSPF reconverges and the engine's next hop follows. 10,000
/// static routes from staticd reach the engine's table exactly as zebra lists them.
/// </summary>
[Collection("engine")]
public sealed class RoutingDaemonTests(ITestOutputHelper output)
{
    [IntegrationFact]
    public void Ospf_in_the_control_plane_routes_between_the_hosts_loopbacks_and_the_table_follows_a_link_going_down()
    {
        const int s = 97;
        string loopback1 = $"10.{s}.101.1", loopback2 = $"10.{s}.102.1";
        using var lab = new TestLab();
        // Host 1 has two links, the tun (preferred) and a tap of OSPF cost 100; host 2 is on a tap.
        string tun1 = lab.Device("a1"), tap1 = lab.Device("a2"), tap2 = lab.Device("b");
        WithControlPlane(lab, [Device(tun1, "tun", lab.Namespace("a"), s, 1), Device(tap1, "tap", lab.Namespace("a"), s, 3), Device(tap2, "tap", lab.Namespace("b"), s, 2)],
            (engine, router, daemons) =>
        {
            Ospfd.Start(router, "rtr", RouterId(s), [new(tun1), new(tap1, "broadcast", 100), new(tap2, "broadcast")],
                [$"10.{s}.1.0/24", $"10.{s}.2.0/24", $"10.{s}.3.0/24"]);
            var host1 = Host(lab, daemons, "a", loopback1);
            Ospfd.Start(host1, "a", loopback1, [new(tun1), new(tap1, "broadcast", 100)], [$"10.{s}.1.0/24", $"10.{s}.3.0/24", $"{loopback1}/32"]);
            var host2 = Host(lab, daemons, "b", loopback2);
            Ospfd.Start(host2, "b", loopback2, [new(tap2, "broadcast")], [$"10.{s}.2.0/24", $"{loopback2}/32"]);

            Eventually(output, "OSPF FULL: three adjacencies in the control plane, two on host 1, one on host 2", () =>
                FullNeighbors(router.Json("show ip ospf neighbor json")) == 3
                && FullNeighbors(host1.Json("show ip ospf neighbor json")) == 2
                && FullNeighbors(host2.Json("show ip ospf neighbor json")) == 1);
            AssertEngineLearns(engine, $"{loopback1}/32", new EngineHop(tun1, $"10.{s}.1.1"));
            AssertEngineLearns(engine, $"{loopback2}/32", new EngineHop(tap2, $"10.{s}.2.1"));
            AssertPing(output, lab.Namespace("a"), loopback2, loopback1);
            AssertPing(output, lab.Namespace("b"), loopback1, loopback2);

            // The preferred path goes down on host 1's side: OSPF moves host 1's loopback to the tap, and so does the engine.
            Shell.MustRunIn(lab.Namespace("a"), $"ip link set dev {tun1} down");
            AssertEngineLearns(engine, $"{loopback1}/32", new EngineHop(tap1, $"10.{s}.3.1"));
            Eventually(output, "host 1 routes host 2's loopback over its tap", () => KernelRoutes(lab.Namespace("a"), loopback2, tap1));
            AssertPing(output, lab.Namespace("a"), loopback2, loopback1);
            AssertPing(output, lab.Namespace("b"), loopback1, loopback2);
        });
    }

    [IntegrationFact]
    public void Ebgp_in_the_control_plane_routes_between_the_hosts_loopbacks()
    {
        const int s = 98;
        string loopbackA = $"10.{s}.101.1", loopbackB = $"10.{s}.102.1";
        using var lab = new TestLab();
        string tun = lab.Device("a"), tap = lab.Device("b");
        WithControlPlane(lab, [Device(tun, "tun", lab.Namespace("a"), s, 1), Device(tap, "tap", lab.Namespace("b"), s, 2)], (engine, router, daemons) =>
        {
            Ebgp.Start(router, "rtr", Ebgp.RouterAs, RouterId(s), [new($"10.{s}.1.1", 65001), new($"10.{s}.2.1", 65002)]);
            var hostA = Host(lab, daemons, "a", loopbackA);
            Ebgp.Start(hostA, "a", 65001, loopbackA, [new($"10.{s}.1.254", Ebgp.RouterAs)], $"{loopbackA}/32");
            var hostB = Host(lab, daemons, "b", loopbackB);
            Ebgp.Start(hostB, "b", 65002, loopbackB, [new($"10.{s}.2.254", Ebgp.RouterAs)], $"{loopbackB}/32");

            Eventually(output, "eBGP Established between the control plane and each host", () =>
                BgpEstablished(router, $"10.{s}.1.1") && BgpEstablished(router, $"10.{s}.2.1")
                && BgpEstablished(hostA, $"10.{s}.1.254") && BgpEstablished(hostB, $"10.{s}.2.254"));
            AssertEngineLearns(engine, $"{loopbackA}/32", new EngineHop(tun, $"10.{s}.1.1"));
            AssertEngineLearns(engine, $"{loopbackB}/32", new EngineHop(tap, $"10.{s}.2.1"));
            Eventually(output, "each host has the other's loopback from BGP", () =>
                HasRoute(hostA, "show ip route bgp json", $"{loopbackB}/32") && HasRoute(hostB, "show ip route bgp json", $"{loopbackA}/32"));
            AssertPing(output, lab.Namespace("a"), loopbackB, loopbackA);
            AssertPing(output, lab.Namespace("b"), loopbackA, loopbackB);
        });
    }

    [IntegrationFact]
    public void Ten_thousand_static_routes_from_staticd_reach_the_engines_table_as_zebra_lists_them()
    {
        const int s = 99;
        using var lab = new TestLab();
        string tun = lab.Device("a"), tap = lab.Device("b");
        WithControlPlane(lab, [Device(tun, "tun", lab.Namespace("a"), s, 1), Device(tap, "tap", lab.Namespace("b"), s, 2)], (engine, router, daemons) =>
        {
            router.Start("staticd", "hostname rtr\n");
            router.Apply(StaticRoutes(s, 10_000, $"10.{s}.1.1", $"10.{s}.2.1"), TimeSpan.FromMinutes(5));

            var zebra = new Dictionary<string, IReadOnlySet<EngineHop>>();
            Eventually(output, "zebra selected the 10,000 static routes", () =>
                (zebra = ZebraRoutes.Selected(router, "show ip route static json")).Count == 10_000);
            Assert.Equal(1_000, zebra.Values.Count(hops => hops.Count == 2));
            var mismatch = "";
            try
            {
                Eventually(output, "the engine's FPM routes matching zebra's", () => (mismatch = Mismatch(zebra, EngineRoutes.FromSource(engine, "fpm"))) == "");
            }
            finally
            {
                if (mismatch != "") output.WriteLine($"the last difference: {mismatch}");
            }
        });
    }

    /// <summary>
    /// <paramref name="count"/> prefixes, half /32s in 10.S.100-119.0/24 and half /24s in
    /// 10.150-169.0.0/16, through the tun host and the tap host in turn, every tenth through both.
    /// </summary>
    private static string StaticRoutes(int s, int count, string tunHost, string tapHost)
    {
        var config = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var k = i / 2;
            var prefix = i % 2 == 0 ? $"10.{s}.{100 + k / 250}.{k % 250 + 1}/32" : $"10.{150 + k / 250}.{k % 250}.0/24";
            if (i % 10 == 0) config.Append($"ip route {prefix} {tunHost}\nip route {prefix} {tapHost}\n");
            else config.Append($"ip route {prefix} {(i % 4 < 2 ? tunHost : tapHost)}\n");
        }
        return config.ToString();
    }

    /// <summary>How the engine's FPM routes differ from zebra's static ones (each prefix, each next hop, installed), or "" when they agree.</summary>
    private static string Mismatch(Dictionary<string, IReadOnlySet<EngineHop>> zebra, Dictionary<string, EngineRoute> engine)
    {
        var missing = zebra.Keys.Where(prefix => !engine.ContainsKey(prefix)).ToList();
        if (missing.Count > 0) return $"{missing.Count} of zebra's routes not in the engine's table, e.g. {missing[0]}";
        foreach (var (prefix, hops) in zebra)
        {
            var route = engine[prefix];
            if (!route.Active) return $"{prefix} is not installed";
            if (!route.Hops.SetEquals(hops)) return $"{prefix}: zebra has {string.Join(", ", hops)}, the engine {string.Join(", ", route.Hops)}";
        }
        return "";
    }

    /// <summary>The engine's table comes to hold <paramref name="prefix"/> from FPM, installed, through <paramref name="hop"/> alone.</summary>
    private void AssertEngineLearns(EngineProcess engine, string prefix, EngineHop hop) =>
        Eventually(output, $"the engine's table has {prefix} from fpm via {hop}", () =>
            EngineRoutes.FromSource(engine, "fpm").TryGetValue(prefix, out var route)
            && route.Active && route.Hops.SetEquals([hop]));

    /// <summary>
    /// Runs <paramref name="test"/> on an engine with <paramref name="devices"/>, the control plane and the FPM
    /// server there, and zebra in the control plane feeding it (dplane_fpm_nl, FRR's default next-hop groups);
    /// the daemons the test adds to the list, the router's and the engine are stopped after it, with their logs.
    /// </summary>
    private void WithControlPlane(TestLab lab, string[] devices, Action<EngineProcess, FrrHost, List<FrrHost>> test)
    {
        var port = 20000 + Random.Shared.Next(20000);
        var engine = EngineProcess.Start(Config(lab, port, devices));
        var daemons = new List<FrrHost>();
        try
        {
            var router = new FrrHost(lab.Namespace("rtr"), $"/tmp/et{lab.Id}-frr-rtr");
            daemons.Add(router);
            Shell.MustRunIn(router.Namespace, "ip link set lo up");
            router.Start("zebra", $"hostname rtr\nfpm address 127.0.0.1 port {port}\n", "-M dplane_fpm_nl");
            test(engine, router, daemons);
        }
        finally
        {
            FrrTeardown.StopAll(output, daemons, engine);
        }
    }

    /// <summary>A lab host's zebra, with <paramref name="loopback"/> on lo for its routing daemon to advertise.</summary>
    private static FrrHost Host(TestLab lab, List<FrrHost> daemons, string name, string loopback)
    {
        var host = new FrrHost(lab.Namespace(name), $"/tmp/et{lab.Id}-frr-{name}");
        daemons.Add(host);
        Shell.MustRunIn(host.Namespace, "ip link set lo up");
        Shell.MustRunIn(host.Namespace, $"ip addr add {loopback}/32 dev lo");
        host.Start("zebra", $"hostname {name}\n");
        return host;
    }

    private static string RouterId(int s) => $"10.{s}.255.254";

    /// <summary>A device of host subnet 10.S.N.0/24: the host at .1, the engine (and its mirror in the control plane) at .254.</summary>
    private static string Device(string name, string type, string ns, int s, int n) =>
        $"{{ name = {name}, type = {type}, namespace = {ns}, address = \"10.{s}.{n}.1/24\", gateway = \"10.{s}.{n}.254\" }}";

    /// <summary>The devices, no route but the connected ones, the control-plane namespace, and the FPM server there.</summary>
    private static string Config(TestLab lab, int fpmPort, string[] devices) => $$"""
        engine {
          counters-interval = 1s
          devices = [
            {{string.Join("\n    ", devices)}}
          ]
          control-plane { namespace = {{lab.Namespace("rtr")}} }
          fpm { listen = "127.0.0.1:{{fpmPort}}" }
        }
        """;
}
