using Xunit;

namespace Engine.Tests.Topology;

public class RouteErrorTests
{
    [Theory]
    [InlineData("{ prefix = \"10.0.1.1/24\", via = tun-a }", "engine.routes[0].prefix: host bits set in 10.0.1.1/24 (did you mean 10.0.1.0/24?)")]
    [InlineData("{ prefix = 10.0.1.1/24, via = tun-a }", "engine.routes[0].prefix: host bits set in 10.0.1.1/24 (did you mean 10.0.1.0/24?)")]
    [InlineData("{ prefix = \"fd00:2::1/64\", via = tun-b }", "engine.routes[0].prefix: host bits set in fd00:2::1/64 (did you mean fd00:2::/64?)")]
    [InlineData("{ prefix = \"0.0.0.1/0\", via = tun-b }", "engine.routes[0].prefix: host bits set in 0.0.0.1/0 (did you mean 0.0.0.0/0?)")]
    [InlineData("{ prefix = \"10.0.1.0\", via = tun-a }", "engine.routes[0].prefix: not a prefix like 10.0.1.0/24: \"10.0.1.0\"")]
    [InlineData("{ prefix = default, via = tun-a }", "engine.routes[0].prefix: not a prefix like 10.0.1.0/24: \"default\"")]
    [InlineData("{ prefix = \"10.0.1.0/33\", via = tun-a }", "engine.routes[0].prefix: prefix length 33 is out of range for IPv4 (0..32): \"10.0.1.0/33\"")]
    [InlineData("{ prefix = [\"10.0.1.0/24\"], via = tun-a }", "engine.routes[0].prefix: must be a prefix like 10.0.1.0/24, got a list")]
    [InlineData("{ via = tun-a }", "engine.routes[0].prefix: required")]
    [InlineData("{ prefix = \"10.0.1.0/24\" }", "engine.routes[0].via: required")]
    [InlineData("{ prefix = \"10.0.1.0/24\", via = [tun-a] }", "engine.routes[0].via: a list of next hops spreads flows over at least two; write one as via = ADDRESS")]
    [InlineData("{ prefix = \"10.0.1.0/24\", via = tun-a, metric = 10 }", "engine.routes[0].metric: unknown key")]
    [InlineData("\"10.0.1.0/24 via tun-a\"", "engine.routes[0]: must be an object, got \"10.0.1.0/24 via tun-a\"")]
    [InlineData("""
        { prefix = "10.0.1.0/24", via = tun-a }
            { prefix = "10.0.2.0/24", via = tun-b }
            { prefix = "0.0.0.0/0", via = tun-z }
        """,
        "engine.routes[2].via: no device, peer or switch named \"tun-z\"")]
    [InlineData("""
        { prefix = "10.0.1.0/24", via = tun-a }
            { prefix = 10.0.1.0/24, via = tun-b }
        """,
        "engine.routes[1].prefix: duplicate route 10.0.1.0/24 (also engine.routes[0])")]
    [InlineData("""
        { prefix = "fd00:2::/64", via = tun-b }
            { prefix = "FD00:2:0::/64", via = tun-b }
        """,
        "engine.routes[1].prefix: duplicate route fd00:2::/64 (also engine.routes[0])")]
    public void Route_error_is_reported_with_its_path(string routes, string expected) =>
        Assert.Equal(Lab.Lines(expected), Lab.Errors(Lab.WithRoutes(routes)));

    [Fact]
    public void Routes_must_be_a_list() =>
        Assert.Equal(["engine.routes: must be a list, got an object"],
            Lab.Errors("""
                engine {
                  devices = [ { name = tun-a, type = tun } ]
                  routes = { prefix = "10.0.1.0/24", via = tun-a }
                }
                """));

    [Fact]
    public void Route_to_a_device_with_other_errors_is_not_reported_again() =>
        Assert.Equal(["engine.devices[0].mtu: must be a number from 68 to 65535, got \"big\""],
            Lab.Errors(Lab.WithDevices("{ name = tun-a, type = tun, mtu = big }", "{ prefix = \"10.0.1.0/24\", via = tun-a }")));
}
