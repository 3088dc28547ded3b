using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Router;
using Engine.Actors.Routing;
using Engine.Actors.Wire;
using Engine.Tests.Wire;
using PacketDotNet;
using PacketDotNet.Utils;
using Xunit;
using ArpOperation = PacketDotNet.ArpOperation;
using static Engine.Tests.Routing.TestPrefixes;

namespace Engine.Tests.Router;

/// <summary>The router as the gateway of an Ethernet (tap) link: ARP, held packets, L2 headers.</summary>
public sealed class EthernetRouterTests : TestKit
{
    private const string HostIp = "10.0.2.1";
    private const string GatewayIp = "10.0.2.254";

    private readonly FrameBatchPool _pool = TestPorts.Pool();
    private readonly TestProbe _tun;
    private readonly TestProbe _tap;
    private readonly Port[] _ports;
    private readonly IActorRef _router;
    private readonly RouterCounters _counters = new();

    public EthernetRouterTests()
    {
        _tun = CreateTestProbe("tun");
        _tap = CreateTestProbe("tap");
        _ports = [TestPorts.Tun(0, "tun", _tun, "10.0.1.254"), TestPorts.Tap(1, "tap", _tap, GatewayIp)];
        _router = Sys.ActorOf(RouterActor.Props(_pool, new RouteSnapshot(_ports, [(Prefix("10.0.1.0/24"), 0), (Prefix("10.0.2.0/24"), 1)]), _counters));
    }

    [Fact]
    public void An_arp_request_for_the_gateway_address_is_answered_from_the_ports_mac()
    {
        _router.Tell(Batch(1, Frames.Arp(ArpOperation.Request, Frames.HostMac, HostIp, "00:00:00:00:00:00", GatewayIp)));

        var reply = _tap.ExpectMsg<FrameBatch>();
        var ethernet = new EthernetPacket(new ByteArraySegment(reply.Frame(0).ToArray()));
        var arp = Assert.IsType<PacketDotNet.ArpPacket>(ethernet.PayloadPacket);
        Assert.Equal(ArpOperation.Response, arp.Operation);
        Assert.Equal(GatewayIp, arp.SenderProtocolAddress.ToString());
        Assert.Equal(Frames.RouterMac.Replace(":", "").ToUpperInvariant(), arp.SenderHardwareAddress.ToString());
        Assert.Equal(Frames.HostMac.Replace(":", "").ToUpperInvariant(), ethernet.DestinationHardwareAddress.ToString());
        reply.Release();
    }

    [Fact]
    public void A_packet_to_an_unknown_neighbour_waits_for_the_arp_answer_and_then_goes_out_framed()
    {
        _router.Tell(Batch(0, Packets.Ipv4Udp("10.0.1.1", HostIp, 16)));

        var request = _tap.ExpectMsg<FrameBatch>();
        var asked = Assert.IsType<PacketDotNet.ArpPacket>(new EthernetPacket(new ByteArraySegment(request.Frame(0).ToArray())).PayloadPacket);
        Assert.Equal(ArpOperation.Request, asked.Operation);
        Assert.Equal(HostIp, asked.TargetProtocolAddress.ToString());
        Assert.Equal(1, request.Count);
        request.Release();

        _router.Tell(Batch(1, Frames.Arp(ArpOperation.Response, Frames.HostMac, HostIp, Frames.RouterMac, GatewayIp, Frames.RouterMac)));

        var held = _tap.ExpectMsg<FrameBatch>();
        var ethernet = new EthernetPacket(new ByteArraySegment(held.Frame(0).ToArray()));
        Assert.Equal(Frames.HostMac.Replace(":", "").ToUpperInvariant(), ethernet.DestinationHardwareAddress.ToString());
        Assert.Equal(EthernetType.IPv4, ethernet.Type);
        var ip = Assert.IsType<IPv4Packet>(ethernet.PayloadPacket);
        Assert.Equal(63, ip.TimeToLive);
        Assert.Equal(0, _ports[1].Counters.Drops(DropReason.Unresolved));
        AwaitAssert(() => Assert.Equal(1, _counters.Forwarded), TimeSpan.FromSeconds(1));
        held.Release();
    }

    [Fact]
    public void A_packet_whose_neighbour_never_answers_is_dropped_and_counted_though_no_more_traffic_comes()
    {
        _router.Tell(Batch(0, Packets.Ipv4Udp("10.0.1.1", HostIp, 16)));
        _tap.ExpectMsg<FrameBatch>().Release(); // the ARP request

        // The kernel's neighbour queue waits a second; so does the router's, then it lets go.
        AwaitAssert(() => Assert.Equal(1, _ports[1].Counters.Drops(DropReason.Unresolved)), TimeSpan.FromSeconds(3));
        var all = new List<FrameBatch>();
        AwaitAssert(() =>
        {
            while (_pool.TryRent(out var batch)) all.Add(batch);
            Assert.Equal(_pool.MaxBatches, all.Count);
        }, TimeSpan.FromSeconds(1));
        all.ForEach(b => b.Release());
        _tap.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_packet_to_fragment_for_an_unknown_neighbour_is_the_egress_ports_unresolved_drop()
    {
        _router.Tell(Batch(0, Packets.Ipv4Udp("10.0.1.1", HostIp, 1600)));

        _tap.ExpectMsg<FrameBatch>().Release(); // the ARP request
        AwaitAssert(() => Assert.Equal(1, _ports[1].Counters.Drops(DropReason.Unresolved)), TimeSpan.FromSeconds(1));
        Assert.Equal(0, _ports[0].Counters.TotalDrops);
    }

    [Fact]
    public void Ip_from_a_tap_host_is_routed_without_its_ethernet_header_and_its_mac_is_learned()
    {
        var packet = Packets.Ipv4Udp(HostIp, "10.0.1.1", 16);
        var frame = new byte[14 + packet.Length];
        EthernetFrame.WriteHeader(frame, MacAddress.Parse(Frames.RouterMac), MacAddress.Parse(Frames.HostMac), EtherType.Ipv4);
        packet.CopyTo(frame, 14);
        _router.Tell(Batch(1, frame));

        var routed = _tun.ExpectMsg<FrameBatch>();
        Assert.Equal(0x45, routed.Frame(0)[0]);
        Assert.Equal(packet.Length, routed.Frame(0).Length);
        routed.Release();

        // The answer goes straight out: the host's MAC was learned from its packet.
        _router.Tell(Batch(0, Packets.Ipv4Udp("10.0.1.1", HostIp, 16)));
        var back = _tap.ExpectMsg<FrameBatch>();
        Assert.Equal(EthernetType.IPv4, new EthernetPacket(new ByteArraySegment(back.Frame(0).ToArray())).Type);
        back.Release();
    }

    [Fact]
    public void A_frame_for_another_mac_is_not_for_the_router()
    {
        var frame = Frames.Arp(ArpOperation.Request, Frames.HostMac, HostIp, "00:00:00:00:00:00", GatewayIp, "02:99:99:99:99:99");
        _router.Tell(Batch(1, frame));
        _tap.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal(1, _ports[1].Counters.Drops(DropReason.NotRoutable));
    }

    private FrameBatch Batch(int ingress, params byte[][] frames)
    {
        Assert.True(_pool.TryRent(out var batch));
        batch.IngressPort = ingress;
        foreach (var frame in frames) Assert.True(batch.TryAppendCopy(frame));
        return batch;
    }
}
