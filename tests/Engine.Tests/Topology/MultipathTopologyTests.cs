using Xunit;

namespace Engine.Tests.Topology;

/// <summary>
/// A route whose via is a list of two or more ports or next-hop addresses is a multipath route:
/// the plan shows each path on its port, leaves out (and says) a path no connected subnet
/// holds, and `check` refuses a list of one, a repeated path and a backup.
/// </summary>
public class MultipathTopologyTests
{
    private static string With(string routes) => $$"""
        engine {
          devices = [
            { name = tun-a, type = tun, namespace = host-a, address = "10.0.1.1/24", gateway = "10.0.1.254" }
            { name = tap-b, type = tap, namespace = host-b, address = ["10.0.2.1/24", "fd00:2::1/64"], gateway = ["10.0.2.254", "fd00:2::fe"] }
            { name = tun-c, type = tun, namespace = host-c, address = ["10.0.3.1/24", "fd00:3::1/64"], gateway = "10.0.3.254" }
          ]
          routes = [
            {{routes}}
          ]
        }
        """;

    [Fact]
    public void A_route_via_a_list_of_next_hops_and_ports_is_planned_as_one_multipath_route()
    {
        var plan = Lab.Valid(With("""
            { prefix = "10.9.0.0/16", via = ["10.0.1.2", "10.0.2.2"] }
                { prefix = "fd00:9::/48", via = ["fd00:2::2", tun-c] }
            """)).Describe();

        Assert.Contains("route 10.9.0.0/16 via 10.0.1.2 on tun-a, 10.0.2.2 on tap-b (multipath)\n", plan);
        Assert.Contains("route fd00:9::/48 via fd00:2::2 on tap-b, tun-c (multipath)\n", plan);
    }

    [Fact]
    public void A_path_no_connected_subnet_holds_is_left_out_and_said_and_the_route_is_inactive_when_none_is_left()
    {
        var plan = Lab.Valid(With("""
            { prefix = "10.9.0.0/16", via = ["10.0.1.2", "10.7.0.1"] }
                { prefix = "10.8.0.0/16", via = ["10.6.0.1", "10.7.0.1"] }
            """)).Describe();

        Assert.Contains("route 10.9.0.0/16 via 10.0.1.2 on tun-a; left out: no connected subnet holds 10.7.0.1\n", plan);
        Assert.Contains("route 10.8.0.0/16 via [10.6.0.1, 10.7.0.1]: inactive, no connected subnet holds 10.6.0.1; no connected subnet holds 10.7.0.1\n", plan);
    }

    [Theory]
    [InlineData("{ prefix = \"10.9.0.0/16\", via = [\"10.0.1.2\"] }",
        "engine.routes[0].via: a list of vias names two or more paths; a single one is written without brackets")]
    [InlineData("{ prefix = \"10.9.0.0/16\", via = [\"10.0.1.2\", tun-c, \"10.0.1.2\"] }",
        "engine.routes[0].via[2]: \"10.0.1.2\" is already one of the route's vias")]
    [InlineData("{ prefix = \"10.9.0.0/16\", via = [\"10.0.1.2\", tun-c], backup = tap-b }",
        "engine.routes[0].backup: a route with several vias has no backup: its paths back each other up")]
    [InlineData("{ prefix = \"10.9.0.0/16\", via = [\"10.0.1.2\", \"fd00:2::2\"] }",
        "engine.routes[0].via[1]: next hop fd00:2::2 is an IPv6 address: the next hop of an IPv4 route is an address of its family")]
    public void A_wrong_list_of_vias_is_an_error(string routes, string expected) =>
        Assert.Equal([expected], Lab.Errors(With(routes)));
}
