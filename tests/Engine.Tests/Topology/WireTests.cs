using Engine.Actors.Lab;
using Engine.Actors.Router;
using Engine.Actors.Routing;
using Engine.Actors.Topology;
using Xunit;

namespace Engine.Tests.Topology;

/// <summary>engine.wires: read, refused with the key path and the reason, and turned into each port's wires.</summary>
public class WireTests
{
    /// <summary>Ports 0 tun-a, 1 tun-b, 2 tap-c, 3 tap-d, then peers 4 east (engine), 5 quagga (length16), 6 sim (datagram), 7 ctl.</summary>
    private static string WithWires(string wires, string routes = "", string tunB = "") => $$"""
        engine {
          devices = [
            { name = tun-a, type = tun, namespace = host-a, address = "10.0.1.1/24" }
            { name = tun-b, type = tun, namespace = host-b, address = "10.0.2.1/24"{{tunB}} }
            { name = tap-c, type = tap, namespace = host-c, address = "10.0.3.1/24" }
            { name = tap-d, type = tap, namespace = host-d, address = "10.0.4.1/24" }
          ]
          peers = [
            { name = east, role = engine, transport = tcp, connect = "127.0.0.1:7000", framing = engine }
            { name = quagga, role = quagga, transport = tcp, listen = 5555, framing = length16 }
            { name = sim, role = quagga, transport = udp, listen = 7001, connect = "127.0.0.1:7002" }
            { name = ctl, role = controller, transport = unix, listen = "@ctl", framing = engine }
          ]
          wires = [
            {{wires}}
          ]
          routes = [
            {{routes}}
          ]
        }
        """;

    [Fact]
    public void Wires_are_read_in_file_order()
    {
        var lab = Lab.Valid(WithWires("""
            { ports = [tun-a, quagga] }
                { ports = [tap-c, tap-d] }
                { ports = [east, tun-b] }
            """, """{ prefix = "10.0.9.0/24", via = sim }"""));
        Assert.Equal([new WireSpec("tun-a", "quagga"), new WireSpec("tap-c", "tap-d"), new WireSpec("east", "tun-b")], lab.Wires.ToArray());
        Assert.Contains("wire tun-a <-> quagga\n", lab.Describe());
    }

    [Fact]
    public void An_engine_link_carries_several_wires_tagged_in_file_order()
    {
        var lab = Lab.Valid(WithWires("""
            { ports = [tap-c, east] }
                { ports = [tun-a, quagga] }
                { ports = [east, tun-b] }
            """));
        var names = lab.Devices.Select(d => d.Name).Concat(lab.Peers.Select(p => p.Name)).ToList();
        var wires = WirePlan.Build(lab, names.IndexOf);

        var east = wires[4]!;
        Assert.True(east.IsTagged);
        Assert.Equal([new WireEnd(2, -1), new WireEnd(1, -1)], east.Ends);
        Assert.Equal([new WireEnd(4, 0)], wires[2]!.Ends);
        Assert.Equal([new WireEnd(4, 1)], wires[1]!.Ends);
        Assert.False(wires[0]!.IsTagged);
        Assert.Equal([new WireEnd(5, -1)], wires[0]!.Ends);
        Assert.Equal([new WireEnd(0, -1)], wires[5]!.Ends);
        Assert.Null(wires[3]);
        Assert.Null(wires[6]);
        Assert.True(east.TryFind(1, out var second) && second.Port == 1);
        Assert.False(east.TryFind(2, out _));
        Assert.False(east.TryFind(-1, out _));
    }

    [Fact]
    public void A_link_wired_to_a_tap_takes_whole_ethernet_frames_and_an_engine_link_keeps_its_tags()
    {
        var lab = Lab.Valid(WithWires("""
            { ports = [tap-c, quagga] }
                { ports = [tun-a, east] }
            """));
        var names = lab.Devices.Select(d => d.Name).Concat(lab.Peers.Select(p => p.Name)).ToList();
        var peers = WiredPeers.Adjust(lab, WirePlan.Build(lab, names.IndexOf), defaultMtu: 1500);

        Assert.Equal(1500 + Forwarder.WiredLinkHeader, peers[1].Mtu); // quagga carries tap-c's Ethernet frames
        Assert.False(peers[1].CarriesWireTags);
        Assert.Equal(1500, peers[0].Mtu); // east carries tun-a's IP packets, tagged
        Assert.True(peers[0].CarriesWireTags);
        Assert.Equal(lab.Peers[2], peers[2]); // sim is not wired
    }

    [Theory]
    [InlineData("{ ports = [tun-a, tun-z] }", "engine.wires[0].ports[1]: no device or peer named \"tun-z\"")]
    [InlineData("{ ports = [tun-a, tun-a] }", "engine.wires[0].ports: \"tun-a\" is wired to itself")]
    [InlineData("{ ports = [tun-a] }", "engine.wires[0].ports: must be a list of two device or peer names, got 1")]
    [InlineData("{ ports = [tun-a, tun-b, quagga] }", "engine.wires[0].ports: must be a list of two device or peer names, got 3")]
    [InlineData("{ ports = tun-a }", "engine.wires[0].ports: must be a list, got \"tun-a\"")]
    [InlineData("{ }", "engine.wires[0].ports: required")]
    [InlineData("{ ports = [tun-a, quagga], speed = 10 }", "engine.wires[0].speed: unknown key")]
    [InlineData("[tun-a, quagga]", "engine.wires[0]: must be an object, got a list")]
    [InlineData("""
        { ports = [tun-a, quagga] }
            { ports = [tun-b, quagga] }
        """, "engine.wires[1].ports[1]: \"quagga\" is already wired (engine.wires[0]); only an engine-framing link carries several wires")]
    [InlineData("""
        { ports = [tun-a, east] }
            { ports = [tun-a, sim] }
        """, "engine.wires[1].ports[0]: \"tun-a\" is already wired (engine.wires[0]); only an engine-framing link carries several wires")]
    [InlineData("{ ports = [tun-a, tap-c] }",
        "engine.wires[0].ports: tun \"tun-a\" carries IP packets and tap \"tap-c\" Ethernet frames: wire a tun to a tun or a peer, a tap to a tap or a peer")]
    [InlineData("{ ports = [tap-d, tun-b] }",
        "engine.wires[0].ports: tun \"tun-b\" carries IP packets and tap \"tap-d\" Ethernet frames: wire a tun to a tun or a peer, a tap to a tap or a peer")]
    [InlineData("{ ports = [ctl, tun-a] }",
        "engine.wires[0].ports[0]: \"ctl\" is a controller link, whose port tags name ports; it cannot be wired")]
    public void Wire_error_is_reported_with_its_path(string wires, string expected) =>
        Assert.Equal(Lab.Lines(expected), Lab.Errors(WithWires(wires)));

    [Theory]
    [InlineData("{ prefix = \"10.0.1.0/24\", via = tun-a }", "engine.routes[0].via: \"tun-a\" is wired (engine.wires[0]): a wired port takes part in no routing")]
    [InlineData("{ prefix = \"10.0.1.0/24\", via = tun-b, backup = quagga }", "engine.routes[0].backup: \"quagga\" is wired (engine.wires[0]): a wired port takes part in no routing")]
    public void Check_refuses_a_port_both_wired_and_routed(string routes, string expected) =>
        Assert.Equal(Lab.Lines(expected), Lab.Errors(WithWires("{ ports = [tun-a, quagga] }", routes)));

    [Fact]
    public void A_wired_device_with_a_gateway_is_refused() =>
        Assert.Equal(["engine.wires[0].ports[0]: device \"tun-b\" has a gateway, but the engine is not on a wired link: a wired port takes part in no routing"],
            Lab.Errors(WithWires("{ ports = [tun-b, quagga] }", tunB: ", gateway = \"10.0.2.254\"")));

    [Fact]
    public void Wires_must_be_a_list() =>
        Assert.Equal(["engine.wires: must be a list, got an object"],
            Lab.Errors("""
                engine {
                  devices = [ { name = tun-a, type = tun } ]
                  wires = { ports = [tun-a, tun-a] }
                }
                """));
}
