using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Engine.Actors.Fpm;
using Engine.Actors.Router;
using Engine.Actors.Routing;
using Engine.Actors.Topology;
using Engine.Native.Reactor;
using Engine.Tests.Peers;
using Engine.Tests.Wire;
using Xunit;
using static Engine.Tests.Fpm.FpmWire;
using static Engine.Tests.Routing.TestPrefixes;

namespace Engine.Tests.Fpm;

/// <summary>
/// The FPM server on a real reactor and loopback socket, a probe as its route book: zebra's routes
/// arrive resolved to the lab's ports, refusing routes refuse, a bad stream closes its connection
/// and leaves the routes, a resync sweeps what was not resent once the stream is quiet, and a
/// disconnect withdraws zebra's routes after the grace unless zebra came back.
/// </summary>
public sealed class FpmServerActorTests : TestKit
{
    // Ports: 0 tun-a (10.0.1.0/24), 1 tap-b (10.0.2.0/24), 2 peer east. zebra's interface 7 is "east", 8 "lo".
    private static readonly LabTopology Lab = Topology.Lab.Valid("""
        engine {
          devices = [
            { name = tun-a, type = tun, namespace = a, address = "10.0.1.1/24", gateway = "10.0.1.254" }
            { name = tap-b, type = tap, namespace = b, address = "10.0.2.1/24", gateway = "10.0.2.254" }
          ]
          peers = [ { name = east, role = engine, transport = tcp, connect = "127.0.0.1:7000" } ]
        }
        """);

    private static readonly Dictionary<string, int> Ports = new() { ["tun-a"] = 0, ["tap-b"] = 1, ["east"] = 2 };

    private readonly Reactor _reactor = new("fpm-test");
    private readonly TestProbe _book;
    private readonly FpmServerCounters _counters = new();
    private readonly IPEndPoint _listen = new(IPAddress.Loopback, PeerHarness.FreePort(SocketType.Stream));

    public FpmServerActorTests()
    {
        _book = CreateTestProbe("book");
    }

    private IActorRef Start(TimeSpan grace, TimeSpan? quiet = null)
    {
        var spec = new FpmSpec(_listen, null, [], grace);
        var resolver = new FpmRouteResolver(ConnectedSubnets.Of(Lab), Ports, index => index switch { 7 => "east", 8 => "lo", _ => null });
        var server = Sys.ActorOf(FpmServerActor.Props(spec, null, _reactor, _book, resolver, _counters, quiet ?? TimeSpan.FromSeconds(30)));
        AwaitAssert(() => Assert.True(CanConnect()));
        return server;
    }

    private bool CanConnect()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            probe.Connect(_listen);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [Fact]
    public void Routes_arrive_resolved_to_the_labs_ports_and_an_unresolvable_one_is_inactive()
    {
        var server = Start(TimeSpan.FromSeconds(30));
        using var zebra = Connect();
        zebra.Send(Frame(
            NewV4(10, 9, 0, gateway: [10, 0, 2, 1], ifIndex: 3), // on tap-b's subnet: ARP for 10.0.2.1
            NewV4(10, 8, 0, gateway: [10, 0, 1, 9], ifIndex: 3), // on tun-a's subnet
            NewV4(10, 7, 0, gateway: null, ifIndex: 7), // only an interface: the peer east of that name
            NewV4(10, 6, 0, gateway: [192, 0, 2, 1], ifIndex: 8), // no subnet holds it, "lo" is no port
            Message(NewRoute, RequestReplaceCreate, Route(2, 24, 6, Attribute(1, 10, 66, 0, 0))),
            Message(NewRoute, RequestReplaceCreate, Route(2, 24, 7, Attribute(1, 10, 67, 0, 0))),
            Message(NewRoute, RequestReplaceCreate, Route(2, 24, 8, Attribute(1, 10, 68, 0, 0)))));

        var routes = Routes(6);
        Assert.Equal(new NextHop(1, Packets.V4("10.0.2.1")), routes[Prefix("10.9.0.0/24")]!.Value.Via);
        Assert.Equal(new NextHop(0, Packets.V4("10.0.1.9")), routes[Prefix("10.8.0.0/24")]!.Value.Via);
        Assert.Equal(new NextHop(2), routes[Prefix("10.7.0.0/24")]!.Value.Via);
        Assert.Equal(Engine.Actors.Routing.NextHop.Refusing(NextHopKind.Blackhole), routes[Prefix("10.66.0.0/24")]!.Value.Via);
        Assert.Equal(Engine.Actors.Routing.NextHop.Refusing(NextHopKind.Unreachable), routes[Prefix("10.67.0.0/24")]!.Value.Via);
        Assert.Equal(Engine.Actors.Routing.NextHop.Refusing(NextHopKind.Prohibit), routes[Prefix("10.68.0.0/24")]!.Value.Via);
        // The server keeps no copy of what the book holds, so it may withdraw what was never installed; either way none is.
        Assert.Null(routes.GetValueOrDefault(Prefix("10.6.0.0/24")));
        AwaitAssert(() => Assert.Equal((6, 1), (_counters.Installed, _counters.Inactive)));
        // The route listing shows it, with why.
        server.Tell(Engine.Actors.Fpm.GetInactiveFpmRoutes.Instance, TestActor);
        var inactive = Assert.Single(ExpectMsg<Engine.Actors.Fpm.InactiveFpmRoutes>().Routes);
        Assert.Equal(Prefix("10.6.0.0/24"), inactive.Prefix);
        Assert.Contains("no connected subnet holds 192.0.2.1", inactive.Reason);
    }

    [Fact]
    public void A_replaced_route_goes_to_its_new_next_hop_and_a_deleted_one_is_withdrawn()
    {
        Start(TimeSpan.FromSeconds(30));
        using var zebra = Connect();
        zebra.Send(Frame(NewV4(10, 9, 0, gateway: [10, 0, 2, 1], ifIndex: 3)));
        Routes(1);
        zebra.Send(Frame(NewV4(10, 9, 0, gateway: [10, 0, 1, 9], ifIndex: 3)));
        Assert.Equal(new NextHop(0, Packets.V4("10.0.1.9")), Routes(1)[Prefix("10.9.0.0/24")]!.Value.Via);
        zebra.Send(Frame(Message(DelRoute, RequestCreate, Route(2, 24, 0, Attribute(1, 10, 9, 0, 0)))));
        Assert.Null(Routes(1)[Prefix("10.9.0.0/24")]);
    }

    [Fact]
    public void A_route_deleted_with_its_next_hop_group_in_one_batch_is_withdrawn()
    {
        // FRR's default: a route names its next-hop object (RTA_NH_ID), and zebra deletes the
        // object with the last route that used it, in the same write.
        Start(TimeSpan.FromSeconds(30));
        using var zebra = Connect();
        zebra.Send(Frame(
            Message(NewNextHop, RequestReplaceCreate, NextHop(2, UInt32(1, 9), UInt32(5, 3), Attribute(6, 10, 0, 2, 1))),
            Message(NewRoute, RequestReplaceCreate, Route(2, 24, 1, Attribute(1, 10, 9, 0, 0), UInt32(30, 9)))));
        Assert.Equal(new NextHop(1, Packets.V4("10.0.2.1")), Routes(1)[Prefix("10.9.0.0/24")]!.Value.Via);
        zebra.Send(Frame(
            Message(DelRoute, RequestCreate, Route(2, 24, 0, Attribute(1, 10, 9, 0, 0))),
            Message(DelNextHop, RequestCreate, NextHop(0, UInt32(1, 9)))));
        Assert.Null(Routes(1)[Prefix("10.9.0.0/24")]);
    }

    [Fact]
    public void After_a_reload_routes_resolve_to_the_ports_and_subnets_the_lab_has_now()
    {
        var server = Start(TimeSpan.FromSeconds(30));
        using var zebra = Connect();
        zebra.Send(Frame(NewV4(10, 7, 0, gateway: null, ifIndex: 7)));
        Assert.Equal(new NextHop(2), Routes(1)[Prefix("10.7.0.0/24")]!.Value.Via);

        // The reload removed tap-b (its place 1 stays empty) and added tun-c (10.0.3.0/24) after the others.
        var reloaded = Topology.Lab.Valid("""
            engine {
              devices = [
                { name = tun-a, type = tun, namespace = a, address = "10.0.1.1/24", gateway = "10.0.1.254" }
                { name = tun-c, type = tun, namespace = c, address = "10.0.3.1/24", gateway = "10.0.3.254" }
              ]
              peers = [ { name = east, role = engine, transport = tcp, connect = "127.0.0.1:7000" } ]
            }
            """);
        server.Tell(new FpmLabReloaded(ConnectedSubnets.Of(reloaded), new Dictionary<string, int> { ["tun-a"] = 0, ["east"] = 2, ["tun-c"] = 3 }));
        zebra.Send(Frame(
            NewV4(10, 9, 0, gateway: [10, 0, 3, 1], ifIndex: 3),
            NewV4(10, 8, 0, gateway: [10, 0, 2, 1], ifIndex: 3)));

        var routes = Routes(1);
        Assert.Equal(new NextHop(3, Packets.V4("10.0.3.1")), routes[Prefix("10.9.0.0/24")]!.Value.Via);
        Assert.Null(routes.GetValueOrDefault(Prefix("10.8.0.0/24"))); // tap-b's subnet is gone
    }

    [Fact]
    public void A_stream_with_a_wrong_version_is_closed_and_counted_and_the_routes_received_before_stay()
    {
        Start(TimeSpan.FromSeconds(30));
        using var zebra = Connect();
        zebra.Send(Frame(NewV4(10, 9, 0, gateway: [10, 0, 2, 1], ifIndex: 3)));
        Routes(1);

        zebra.Send([9, 1, 0, 8, 0xde, 0xad, 0xbe, 0xef]); // version 9
        Assert.Equal(0, zebra.Receive(new byte[16])); // the engine closed it
        Assert.Equal(1, _counters.Closed(FpmCloseReason.WrongVersion));
        _book.ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // nothing withdrawn

        using var again = Connect(); // and the server takes the next connection
        again.Send(Frame(NewV4(10, 8, 0, gateway: [10, 0, 1, 9], ifIndex: 3)));
        Assert.True(Routes(1).ContainsKey(Prefix("10.8.0.0/24")));
    }

    [Fact]
    public void A_netlink_length_that_lies_closes_the_connection_and_keeps_earlier_routes()
    {
        Start(TimeSpan.FromSeconds(30));
        using var zebra = Connect();
        var lying = NewV4(10, 8, 0, gateway: [10, 0, 1, 9], ifIndex: 3);
        lying[0] += 64;
        zebra.Send([.. Frame(NewV4(10, 9, 0, gateway: [10, 0, 2, 1], ifIndex: 3)), .. Frame(lying)]);
        Assert.True(Routes(1).ContainsKey(Prefix("10.9.0.0/24")));
        Assert.Equal(0, zebra.Receive(new byte[16]));
        Assert.Equal(1, _counters.Closed(FpmCloseReason.NetlinkLengthLies));
        _book.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void A_multipath_with_no_next_hop_is_refused_and_counted_and_the_stream_goes_on()
    {
        Start(TimeSpan.FromSeconds(30));
        using var zebra = Connect();
        zebra.Send(Frame(
            Message(NewRoute, RequestReplaceCreate, Route(2, 24, 1, Attribute(1, 10, 5, 0, 0), Attribute(9))),
            NewV4(10, 9, 0, gateway: [10, 0, 2, 1], ifIndex: 3)));
        var routes = Routes(1);
        Assert.True(routes.ContainsKey(Prefix("10.9.0.0/24")));
        Assert.Equal(1, _counters.Refused(FpmRefusal.EmptyMultipath));
    }

    [Fact]
    public void A_new_connections_resync_withdraws_what_it_did_not_resend_once_the_stream_is_quiet()
    {
        Start(TimeSpan.FromSeconds(30), quiet: TimeSpan.FromMilliseconds(300));
        using (var first = Connect())
        {
            first.Send(Frame(NewV4(10, 9, 0, gateway: [10, 0, 2, 1], ifIndex: 3), NewV4(10, 8, 0, gateway: [10, 0, 1, 9], ifIndex: 3)));
            Routes(2);
        }
        using var second = Connect();
        second.Send(Frame(NewV4(10, 9, 0, gateway: [10, 0, 2, 1], ifIndex: 3))); // the same route: no change
        var swept = Routes(1);
        Assert.Null(swept[Prefix("10.8.0.0/24")]);
        Assert.False(swept.ContainsKey(Prefix("10.9.0.0/24")));
    }

    [Fact]
    public void After_the_grace_without_a_new_connection_zebras_routes_are_withdrawn()
    {
        Start(TimeSpan.FromMilliseconds(500));
        using (var zebra = Connect())
        {
            zebra.Send(Frame(NewV4(10, 9, 0, gateway: [10, 0, 2, 1], ifIndex: 3)));
            Routes(1);
        }
        _book.ExpectNoMsg(TimeSpan.FromMilliseconds(250)); // still within the grace
        var withdrawal = _book.ExpectMsg<ChangeRoutes>(TimeSpan.FromSeconds(5));
        Assert.True(withdrawal.ClearFirst);
        Assert.Equal(RouteSource.Fpm, withdrawal.Source);
        Assert.Equal(1, _counters.GraceExpired);
    }

    [Fact]
    public void A_connection_within_the_grace_keeps_the_routes_and_a_newer_one_replaces_it()
    {
        Start(TimeSpan.FromMilliseconds(500));
        using (var zebra = Connect())
        {
            zebra.Send(Frame(NewV4(10, 9, 0, gateway: [10, 0, 2, 1], ifIndex: 3)));
            Routes(1);
        }
        var before = _counters.Connections; // counts Start's readiness probe too
        using var back = Connect();
        AwaitAssert(() => Assert.Equal(before + 1, _counters.Connections));
        _book.ExpectNoMsg(TimeSpan.FromMilliseconds(800)); // the grace is over: nothing withdrawn
        Assert.Equal(0, _counters.GraceExpired);

        using var newer = Connect();
        Assert.Equal(0, back.Receive(new byte[16])); // the older one is closed
    }

    private Socket Connect()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 };
        socket.Connect(_listen);
        return socket;
    }

    /// <summary>The changes the route book is told until <paramref name="count"/> prefixes have one, the latest of each.</summary>
    private Dictionary<IpPrefix, TableRoute?> Routes(int count)
    {
        var routes = new Dictionary<IpPrefix, TableRoute?>();
        while (routes.Count < count)
        {
            var change = _book.ExpectMsg<ChangeRouteBatch>(TimeSpan.FromSeconds(5));
            Assert.Equal(RouteSource.Fpm, change.Source);
            foreach (var (prefix, route) in change.Expand())
                routes[prefix] = route;
        }
        return routes;
    }

    private static byte[] NewV4(byte a, byte b, byte c, byte[]? gateway, int ifIndex)
    {
        List<byte[]> attributes = [Attribute(1, a, b, c, 0)];
        if (gateway is not null) attributes.Add(Attribute(5, gateway));
        attributes.Add(UInt32(4, (uint)ifIndex));
        return Message(NewRoute, RequestReplaceCreate, Route(2, 24, 1, [.. attributes]));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _reactor.Dispose();
    }
}
