using System.Net;
using Engine.Actors.Topology;
using Xunit;

namespace Engine.Tests.Topology;

/// <summary>Rules that relate peers to devices, to each other and to routes.</summary>
public class PeerSetErrorTests
{
    private const string East = "{ name = east, role = engine, transport = udp, listen = 7001, connect = \"127.0.0.1:7002\" }";
    private const string Quagga = "{ name = quagga, role = quagga, transport = tcp, listen = 5555 }";

    [Theory]
    [InlineData("{ name = tun-a, role = engine, transport = tcp, listen = 5555 }",
        "engine.peers[0].name: duplicate name \"tun-a\" (also engine.devices[0]): devices and peers share one set of names")]
    [InlineData(East + "\n" + Quagga + "\n{ name = east, role = quagga, transport = tcp, listen = 5556 }",
        "engine.peers[2].name: duplicate peer name \"east\" (also engine.peers[0])")]
    public void Name_shared_with_another_device_or_peer_is_reported_on_the_peer(string peers, string expected) =>
        Assert.Equal(Lab.Lines(expected), Lab.Errors(Lab.WithPeers(peers)));

    [Theory]
    [InlineData("{ prefix = \"10.0.9.0/24\", via = west }", "engine.routes[0].via: no device, peer or switch named \"west\"")]
    [InlineData("{ prefix = \"10.0.9.0/24\", via = east, backup = east }",
        "engine.routes[0].backup: \"east\" is already the route's via; a backup is another device or peer")]
    [InlineData("{ prefix = \"10.0.9.0/24\", via = tun-a, backup = tun-a }",
        "engine.routes[0].backup: \"tun-a\" is already the route's via; a backup is another device or peer")]
    [InlineData("{ prefix = \"10.0.9.0/24\", via = east, backup = west }", "engine.routes[0].backup: no device, peer or switch named \"west\"")]
    [InlineData("{ prefix = \"10.0.9.0/24\", via = east, backup = [quagga] }", "engine.routes[0].backup: must be a device, peer or switch name, got a list")]
    [InlineData("{ prefix = \"10.0.9.0/24\", backup = quagga }", "engine.routes[0].via: required")]
    public void Route_target_error_is_reported_with_its_path(string routes, string expected) =>
        Assert.Equal(Lab.Lines(expected), Lab.Errors(Lab.WithPeers(East + "\n" + Quagga, routes)));

    [Fact]
    public void Route_to_a_peer_with_other_errors_is_not_reported_again() =>
        Assert.Equal(["engine.peers[0].role: must be controller, quagga or engine, got \"router\""],
            Lab.Errors(Lab.WithPeers(
                "{ name = east, role = router, transport = udp, listen = 7001 }",
                "{ prefix = \"10.0.9.0/24\", via = tun-a, backup = east }")));

    [Fact]
    public void Routes_may_leave_through_a_peer_with_a_device_or_peer_as_backup()
    {
        var lab = Lab.Valid(Lab.WithPeers(East + "\n" + Quagga, """
            { prefix = "10.0.9.0/24", via = east, backup = quagga }
                { prefix = "10.0.8.0/24", via = quagga, backup = tun-a }
                { prefix = "10.0.1.0/24", via = tun-a, backup = east }
                { prefix = "0.0.0.0/0", via = east }
            """));

        Assert.Equal<RouteSpec>(
            [
                new RouteSpec(IPNetwork.Parse("10.0.9.0/24"), "east", "quagga"),
                new RouteSpec(IPNetwork.Parse("10.0.8.0/24"), "quagga", "tun-a"),
                new RouteSpec(IPNetwork.Parse("10.0.1.0/24"), "tun-a", "east"),
                new RouteSpec(IPNetwork.Parse("0.0.0.0/0"), "east"),
            ],
            lab.Routes);
    }

    [Fact]
    public void Plan_shows_peers_and_route_backups()
    {
        var lab = Lab.Valid("""
            engine {
              devices = [ { name = tun-a, type = tun, address = "10.0.1.1/24" } ]
              peers = [
                { name = controller, role = controller, transport = tcp, connect = "127.0.0.1:6653", framing = engine, key = "a-long-shared-secret" }
                { name = quagga, role = quagga, transport = tcp, listen = "127.0.0.1:5555", framing = length16, allow = ["127.0.0.1/32"] }
                { name = east, role = engine, transport = udp, listen = "127.0.0.1:7001", connect = "127.0.0.1:7002", framing = engine, mtu = 1400 }
                { name = ctl, role = controller, transport = unix, listen = "@engine-ctl", framing = engine, namespace = host-c }
              ]
              routes = [ { prefix = "10.0.9.0/24", via = east, backup = quagga } ]
            }
            """);

        Assert.Equal("""
            device tun-a (tun, mtu 1500) in the engine's namespace with 10.0.1.1/24
            peer controller (controller, tcp, engine, authenticated) connecting to 127.0.0.1:6653 in the engine's namespace
            peer quagga (quagga, tcp, length16) listening on 127.0.0.1:5555 in the engine's namespace, accepting only 127.0.0.1/32
            peer east (engine, udp, engine, mtu 1400) listening on 127.0.0.1:7001, sending to 127.0.0.1:7002 in the engine's namespace
            peer ctl (controller, unix, engine) listening on @engine-ctl in host-c
            route 10.0.1.0/24 via tun-a (connected)
            route 10.0.9.0/24 via east, backup quagga
            counters logged every 1m, batch size 64, log information and above as text to console only

            """.ReplaceLineEndings("\n"), lab.Describe());
    }
}
