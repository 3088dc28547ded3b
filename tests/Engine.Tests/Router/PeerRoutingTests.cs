using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Router;
using Engine.Actors.Routing;
using Engine.Tests.Wire;
using Xunit;
using static Engine.Tests.Routing.TestPrefixes;

namespace Engine.Tests.Router;

/// <summary>
/// The router with peer ports: routes that switch to their backup while a peer's link is down,
/// and a controller's port tags (where a frame came from, where it must go).
/// </summary>
public sealed class PeerRoutingTests : TestKit
{
    private readonly FrameBatchPool _pool = new(batchCapacity: 16, bufferSize: 4096, maxBatches: 64);
    private readonly TestProbe[] _probes;
    private readonly Port[] _ports;
    private readonly IActorRef _router;
    private readonly IActorRef _routeBook;
    private readonly TestProbe _published;

    // Ports: 0 tun-a (10.0.1.0/24), 1 tun-b (10.0.2.0/24), 2 peer "east", 3 peer "west", 4 controller.
    public PeerRoutingTests()
    {
        _probes = Enumerable.Range(0, 5).Select(i => CreateTestProbe($"p{i}")).ToArray();
        _ports = Enumerable.Range(0, 5).Select(i => new Port(i, $"p{i}", _probes[i], i == 1 ? 1280 : 1500, new PortCounters())
        {
            IsPeer = i >= 2,
            IsController = i == 4,
            Ipv4Address = i < 2 ? Packets.V4($"10.0.{i + 1}.254") : 0,
        }).ToArray();
        TableRoute[] routes =
        [
            new(Prefix("10.0.1.0/24"), 0), new(Prefix("10.0.2.0/24"), 1),
            new(Prefix("10.9.0.0/16"), 2, Backup: 3), // east, else west
            new(Prefix("10.8.0.0/16"), 3), // west, no backup
            new(Prefix("10.7.0.0/16"), 4), // the controller
        ];
        _router = Sys.ActorOf(RouterActor.Props(_pool, RouteSnapshot.Empty, new RouterCounters()));
        // The route book's snapshots pass through a probe, so a frame sent after one is routed under it.
        _published = CreateTestProbe("published");
        _routeBook = Sys.ActorOf(RouteBookActor.Props(_published, new RouteTable(_ports, routes), TimeSpan.Zero));
        Publish();
    }

    private void Publish() => _router.Tell(_published.ExpectMsg<RoutesChanged>());

    private void LinkChanged(int port, bool up)
    {
        _routeBook.Tell(new PortLinkChanged(port, up));
        Publish();
    }

    [Fact]
    public void A_route_takes_its_backup_while_the_primary_peer_is_down_and_returns_when_it_is_up()
    {
        // Peers start down: the backup carries the traffic at first.
        Send(0, Packets.Ipv4Udp("10.0.1.1", "10.9.1.1", 16));
        _probes[3].ExpectMsg<FrameBatch>().Release();

        LinkChanged(2, true);
        Send(0, Packets.Ipv4Udp("10.0.1.1", "10.9.1.1", 16));
        _probes[2].ExpectMsg<FrameBatch>().Release();
        _probes[3].ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        LinkChanged(2, false);
        Send(0, Packets.Ipv4Udp("10.0.1.1", "10.9.1.1", 16));
        _probes[3].ExpectMsg<FrameBatch>().Release();
    }

    [Fact]
    public void A_route_without_a_backup_keeps_its_down_peer_which_counts_the_drops()
    {
        Send(0, Packets.Ipv4Udp("10.0.1.1", "10.8.1.1", 16));
        _probes[3].ExpectMsg<FrameBatch>().Release(); // the peer actor drops it as port-down
        _probes[0].ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // no "unreachable": the route exists
    }

    [Fact]
    public void Frames_routed_to_a_controller_carry_their_ingress_port()
    {
        Send(1, Packets.Ipv4Udp("10.0.2.1", "10.7.0.9", 16));
        var batch = _probes[4].ExpectMsg<FrameBatch>();
        Assert.Equal(1, batch.Tag(0));
        batch.Release();
    }

    [Fact]
    public void A_tagged_frame_from_the_controller_leaves_through_that_port_untouched()
    {
        var packet = Packets.Ipv4Udp("10.7.0.9", "10.0.1.1", 16, ttl: 1); // TTL 1: routing would refuse it
        Send(4, (packet, 1)); // tagged with tun-b, although 10.0.1.1 routes to tun-a
        var batch = _probes[1].ExpectMsg<FrameBatch>();
        Assert.Equal(packet, batch.Frame(0).ToArray());
        batch.Release();
        _probes[0].ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void An_untagged_frame_from_the_controller_is_routed()
    {
        Send(4, (Packets.Ipv4Udp("10.7.0.9", "10.0.2.1", 16), -1));
        var batch = _probes[1].ExpectMsg<FrameBatch>();
        Assert.Equal(63, batch.Frame(0)[8]); // routed: TTL decremented
        batch.Release();
    }

    [Theory]
    [InlineData(9, DropReason.NoRoute)] // no such port
    [InlineData(4, DropReason.NoRoute)] // itself
    public void A_frame_tagged_with_a_port_that_cannot_take_it_is_dropped_and_counted(int tag, DropReason reason)
    {
        Send(4, (Packets.Ipv4Udp("10.7.0.9", "10.0.1.1", 16), tag));
        AwaitAssert(() => Assert.Equal(1, _ports[4].Counters.Drops(reason)));
    }

    [Fact]
    public void Tagged_frames_must_be_ip_packets_that_fit_the_port()
    {
        Send(4, ([0xDE, 0xAD, 0xBE, 0xEF], 0), (Packets.Ipv4Udp("10.7.0.9", "10.0.2.1", 1400), 1));
        AwaitAssert(() =>
        {
            Assert.Equal(1, _ports[4].Counters.Drops(DropReason.Malformed));
            Assert.Equal(1, _ports[4].Counters.Drops(DropReason.TooBig)); // tun-b's MTU is 1280
        });
    }

    private void Send(int ingress, params byte[][] packets) => Send(ingress, packets.Select(p => (p, -1)).ToArray());

    private void Send(int ingress, params (byte[] Packet, int Tag)[] frames)
    {
        Assert.True(_pool.TryRent(out var batch));
        batch.IngressPort = ingress;
        foreach (var (packet, tag) in frames)
        {
            batch.TryAppendCopy(packet);
            batch.SetTag(batch.Count - 1, tag);
        }
        _router.Tell(batch);
    }
}
