using Xunit;

namespace Engine.Tests.Topology;

/// <summary>A route's via as a list of next-hop addresses (ECMP): read, planned over the ports that hold them, refused one line per mistake.</summary>
public class EcmpTopologyTests
{
    [Fact]
    public void A_via_list_plans_one_route_over_each_next_hop_that_resolves()
    {
        var lab = Lab.Valid(Lab.WithRoutes("""{ prefix = "10.9.0.0/16", via = ["10.0.1.5", "10.0.2.5"] }"""));
        var route = Assert.Single(lab.Routes);
        Assert.Equal(["10.0.1.5", "10.0.2.5"], route.Paths.Select(p => p.ToString()));
        Assert.Contains("route 10.9.0.0/16 via 10.0.1.5 on tun-a, 10.0.2.5 on tun-b (ECMP)\n", lab.Describe());
    }

    [Fact]
    public void A_next_hop_of_the_list_that_no_subnet_holds_is_left_out_and_said_so()
    {
        var lab = Lab.Valid(Lab.WithRoutes("""{ prefix = "10.9.0.0/16", via = ["10.0.1.5", "10.0.2.5", "10.0.3.5"] }"""));
        Assert.Contains("route 10.9.0.0/16 via 10.0.1.5 on tun-a, 10.0.2.5 on tun-b (ECMP) (no connected subnet holds 10.0.3.5: left out)\n", lab.Describe());
    }

    [Theory]
    [InlineData("""{ prefix = "10.9.0.0/16", via = ["10.0.1.5"] }""", "engine.routes[0].via: a list of next hops spreads flows over at least two; write one as via = ADDRESS")]
    [InlineData("""{ prefix = "10.9.0.0/16", via = ["10.0.1.5", "10.0.1.5"] }""", "engine.routes[0].via[1]: next hop 10.0.1.5 is listed twice")]
    [InlineData("""{ prefix = "10.9.0.0/16", via = ["10.0.1.5", "tun-b"] }""", "engine.routes[0].via[1]: no device, peer or switch named \"tun-b\"")]
    [InlineData("""{ prefix = "10.9.0.0/16", via = ["10.0.1.5", "10.0.2.5"], backup = tun-a }""", "engine.routes[0].backup: a route over several next hops has no backup: flows move to the others when one cannot be reached")]
    public void A_bad_via_list_is_one_line_with_its_path(string route, string expected) =>
        Assert.Equal(Lab.Lines(expected), Lab.Errors(Lab.WithRoutes(route)));
}
