using System.Net;
using Engine.Actors.Topology;
using Xunit;

namespace Engine.Tests.Topology;

/// <summary>
/// Next-hop routes and connected routes in the lab file: a route's via may be an address, which
/// the plan puts on the port whose connected subnet holds it or shows inactive; every routed
/// device's subnets, and a switch's gateway subnets, are routes without being written.
/// </summary>
public class NextHopTopologyTests
{
    /// <summary>tun-a (10.0.1.1/24), tap-b (10.0.2.1/24, fd00:2::1/64, the engine .254 and ::fe), tun-w wired to tun-x.</summary>
    private static string With(string routes) => $$"""
        engine {
          devices = [
            { name = tun-a, type = tun, namespace = host-a, address = "10.0.1.1/24", gateway = "10.0.1.254" }
            { name = tap-b, type = tap, namespace = host-b, address = ["10.0.2.1/24", "fd00:2::1/64"], gateway = ["10.0.2.254", "fd00:2::fe"] }
            { name = tun-w, type = tun, namespace = host-w, address = "10.0.7.1/24" }
            { name = tun-x, type = tun, namespace = host-x, address = "10.0.8.1/24" }
          ]
          wires = [ { ports = [tun-w, tun-x] } ]
          routes = [
            {{routes}}
          ]
        }
        """;

    [Fact]
    public void A_lab_without_routes_has_a_connected_route_for_each_routed_devices_subnet()
    {
        var plan = Lab.Valid(With("")).Describe();

        Assert.Contains("route 10.0.1.0/24 via tun-a (connected)\n", plan);
        Assert.Contains("route 10.0.2.0/24 via tap-b (connected)\n", plan);
        Assert.Contains("route fd00:2::/64 via tap-b (connected)\n", plan);
        Assert.DoesNotContain("no routes", plan);
        Assert.DoesNotContain("10.0.7.0/24", plan); // a wired device takes part in no routing
    }

    [Fact]
    public void A_route_via_an_address_is_read_as_a_next_hop_and_planned_on_the_port_whose_subnet_holds_it()
    {
        var lab = Lab.Valid(With("""
            { prefix = "10.9.0.0/16", via = 10.0.2.1 }
                { prefix = "fd00:9::/48", via = "fd00:2::1" }
                { prefix = "10.8.0.0/16", via = "10.0.1.1" }
            """));

        Assert.Equal(new RouteSpec(IPNetwork.Parse("10.9.0.0/16"), "10.0.2.1") { NextHop = IPAddress.Parse("10.0.2.1") }, lab.Routes[0]);
        var plan = lab.Describe();
        Assert.Contains("route 10.9.0.0/16 via 10.0.2.1 on tap-b\n", plan);
        Assert.Contains("route fd00:9::/48 via fd00:2::1 on tap-b\n", plan);
        Assert.Contains("route 10.8.0.0/16 via 10.0.1.1 on tun-a\n", plan);
    }

    [Fact]
    public void A_next_hop_no_connected_subnet_holds_makes_its_route_inactive_not_an_error()
    {
        var plan = RoutePlan.Build(Lab.Valid(With("""
            { prefix = "10.9.0.0/16", via = 10.0.5.1 }
                { prefix = "10.6.0.0/16", via = 10.0.7.5 }
                { prefix = "10.5.0.0/16", via = 10.0.2.254 }
            """)));

        var inactive = plan.Where(r => !r.IsActive).Select(r => $"{r}").ToArray();
        Assert.Equal([
            "10.9.0.0/16 via 10.0.5.1: inactive, no connected subnet holds 10.0.5.1",
            "10.6.0.0/16 via 10.0.7.5: inactive, no connected subnet holds 10.0.7.5",
            "10.5.0.0/16 via 10.0.2.254: inactive, 10.0.2.254 is the engine's own address on tap-b",
        ], inactive);
    }

    [Fact]
    public void A_static_route_repeating_a_connected_subnet_stays_valid_and_one_elsewhere_takes_its_place()
    {
        var plan = Lab.Valid(With("""
            { prefix = "10.0.1.0/24", via = tun-a }
                { prefix = "10.0.2.0/24", via = 10.0.1.1 }
            """)).Describe();

        Assert.Contains("route 10.0.1.0/24 via tun-a (connected; also a static route)\n", plan);
        Assert.Contains("route 10.0.2.0/24 via 10.0.1.1 on tun-a (static, over the connected route via tap-b)\n", plan);
        Assert.Single(plan.Split('\n'), line => line.StartsWith("route 10.0.1.0/24", StringComparison.Ordinal));
        Assert.Single(plan.Split('\n'), line => line.StartsWith("route 10.0.2.0/24", StringComparison.Ordinal));
    }

    [Fact]
    public void A_switch_gateway_subnet_is_connected_and_holds_next_hops()
    {
        var plan = Lab.Valid("""
            engine {
              devices = [
                { name = tap-a1, type = tap, namespace = a1, address = "10.0.5.1/24", gateway = "10.0.5.254" }
                { name = tap-a2, type = tap, namespace = a2, address = "10.0.5.2/24", gateway = "10.0.5.254" }
              ]
              switches = [ { name = lan1, ports = [tap-a1, tap-a2], gateway = "10.0.5.254/24" } ]
              routes = [ { prefix = "10.9.0.0/16", via = 10.0.5.2 } ]
            }
            """).Describe();

        Assert.Contains("route 10.0.5.0/24 via lan1 (connected)\n", plan);
        Assert.Contains("route 10.9.0.0/16 via 10.0.5.2 on lan1\n", plan);
        Assert.DoesNotContain("via tap-a", plan); // switch members take part in no routing
    }

    [Theory]
    [InlineData("{ prefix = \"10.9.0.0/16\", via = \"fd00:2::1\" }",
        "engine.routes[0].via: next hop fd00:2::1 is an IPv6 address: the next hop of an IPv4 route is an address of its family")]
    [InlineData("{ prefix = \"10.9.0.0/16\", via = 224.0.0.5 }", "engine.routes[0].via: next hop 224.0.0.5 is a multicast address")]
    [InlineData("{ prefix = \"10.9.0.0/16\", via = 127.0.0.1 }", "engine.routes[0].via: next hop 127.0.0.1 is a loopback address")]
    [InlineData("{ prefix = \"10.9.0.0/16\", via = 10.0.1 }", "engine.routes[0].via: no device, peer or switch named \"10.0.1\"")]
    [InlineData("{ prefix = \"10.9.0.0/16\", via = tun-a, backup = 0.0.0.0 }", "engine.routes[0].backup: next hop 0.0.0.0 is the unspecified address")]
    public void A_next_hop_that_is_no_hosts_address_is_an_error(string routes, string expected) =>
        Assert.Equal([expected], Lab.Errors(With(routes)));
}
