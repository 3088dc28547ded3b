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

/// <summary>
/// Routes through a next-hop address: a host on the tap (10.0.2.1, fd00:2::1) routes 10.9.0.0/16
/// and fd00:9::/48 further on. The engine asks ARP/ND for the next hop, not the destination, and
/// frames the packet to the next hop's MAC; on a tun the next hop is on-link.
/// </summary>
public sealed class NextHopRoutingTests : TestKit
{
    private const string NextHopIp = "10.0.2.1";
    private const string NextHopIp6 = "fd00:2::1";
    private const string GatewayIp = "10.0.2.254";
    private const string GatewayIp6 = "fd00:2::fe";

    private readonly FrameBatchPool _pool = TestPorts.Pool();
    private readonly TestProbe _tun;
    private readonly TestProbe _tap;
    private readonly Port[] _ports;
    private readonly IActorRef _router;

    public NextHopRoutingTests()
    {
        _tun = CreateTestProbe("tun");
        _tap = CreateTestProbe("tap");
        _ports = [TestPorts.Tun(0, "tun", _tun, "10.0.1.254"), TestPorts.Tap(1, "tap", _tap, GatewayIp, GatewayIp6)];
        (IpPrefix, NextHop)[] routes =
        [
            (Prefix("10.0.1.0/24"), new NextHop(0)),
            (Prefix("10.0.2.0/24"), new NextHop(1)),
            (Prefix("fd00:2::/64"), new NextHop(1)),
            (Prefix("10.9.0.0/16"), new NextHop(1, Packets.V4(NextHopIp))),
            (Prefix("fd00:9::/48"), new NextHop(1, Packets.V6(NextHopIp6))),
            (Prefix("10.8.0.0/16"), new NextHop(0, Packets.V4("10.0.1.1"))),
        ];
        _router = Sys.ActorOf(RouterActor.Props(_pool, RouteSnapshot.Of(_ports, routes), new RouterCounters()));
    }

    [Fact]
    public void A_packet_routed_via_a_next_hop_on_a_tap_asks_arp_for_the_next_hop_and_goes_to_its_mac()
    {
        ProbeFrames.Send(_pool, _router, 0, Packets.Ipv4Udp("10.0.1.1", "10.9.0.5", 16));

        var asked = ArpOf(ProbeFrames.Single(_tap));
        Assert.Equal(PacketDotNet.ArpOperation.Request, asked.Operation);
        Assert.Equal(NextHopIp, asked.TargetProtocolAddress.ToString());

        ProbeFrames.Send(_pool, _router, 1, Frames.Arp(ArpOperation.Response, Frames.HostMac, NextHopIp, Frames.RouterMac, GatewayIp, Frames.RouterMac));

        var sent = new EthernetPacket(new ByteArraySegment(ProbeFrames.Single(_tap)));
        Assert.Equal(Mac(Frames.HostMac), sent.DestinationHardwareAddress.ToString());
        var ip = Assert.IsType<IPv4Packet>(sent.PayloadPacket);
        Assert.Equal("10.9.0.5", ip.DestinationAddress.ToString());
        Assert.Equal(63, ip.TimeToLive);
        Assert.Equal(0, _ports[1].Counters.TotalDrops);
    }

    [Fact]
    public void A_known_next_hop_takes_every_destination_behind_it_at_once()
    {
        ProbeFrames.Send(_pool, _router, 1, Frames.Arp(ArpOperation.Request, Frames.HostMac, NextHopIp, "00:00:00:00:00:00", GatewayIp));
        ProbeFrames.Single(_tap); // the answer

        ProbeFrames.Send(_pool, _router, 0, Packets.Ipv4Udp("10.0.1.1", "10.9.7.7", 16));
        var first = new EthernetPacket(new ByteArraySegment(ProbeFrames.Single(_tap)));
        ProbeFrames.Send(_pool, _router, 0, Packets.Ipv4Udp("10.0.1.1", "10.9.200.1", 16));
        var second = new EthernetPacket(new ByteArraySegment(ProbeFrames.Single(_tap)));

        Assert.Equal(Mac(Frames.HostMac), first.DestinationHardwareAddress.ToString());
        Assert.Equal(Mac(Frames.HostMac), second.DestinationHardwareAddress.ToString());
        Assert.Equal("10.9.200.1", Assert.IsType<IPv4Packet>(second.PayloadPacket).DestinationAddress.ToString());
    }

    [Fact]
    public void An_ipv6_packet_routed_via_a_next_hop_solicits_the_next_hop_and_goes_to_its_mac()
    {
        ProbeFrames.Send(_pool, _router, 0, Packets.Ipv6Udp("fd00:1::1", "fd00:9:0:1::5", 16));

        var (_, _, icmp) = Frames.ParseNdp(ProbeFrames.Single(_tap));
        Assert.Equal(IcmpV6Type.NeighborSolicitation, icmp.Type);
        var solicitation = Assert.IsType<NdpNeighborSolicitationPacket>(icmp.PayloadPacket);
        Assert.Equal(NextHopIp6, solicitation.TargetAddress.ToString());

        ProbeFrames.Send(_pool, _router, 1, Frames.Advertisement(NextHopIp6, GatewayIp6, NextHopIp6, Frames.HostMac, router: true, solicited: true, @override: true));

        var sent = new EthernetPacket(new ByteArraySegment(ProbeFrames.Single(_tap)));
        Assert.Equal(Mac(Frames.HostMac), sent.DestinationHardwareAddress.ToString());
        Assert.Equal("fd00:9:0:1::5", Assert.IsType<IPv6Packet>(sent.PayloadPacket).DestinationAddress.ToString());
    }

    [Fact]
    public void A_next_hop_on_a_tun_is_on_link_the_packet_goes_out_of_the_tun_as_it_is()
    {
        ProbeFrames.Send(_pool, _router, 1, Framed(Packets.Ipv4Udp(NextHopIp, "10.8.1.1", 16)));

        var sent = ProbeFrames.Single(_tun);
        Assert.Equal(0x45, sent[0]);
        Assert.Equal("10.8.1.1", new IPv4Packet(new ByteArraySegment(sent)).DestinationAddress.ToString());
    }

    [Fact]
    public void An_icmp_error_to_a_host_behind_the_next_hop_goes_back_to_the_next_hops_mac()
    {
        ProbeFrames.Send(_pool, _router, 1, Frames.Arp(ArpOperation.Request, Frames.HostMac, NextHopIp, "00:00:00:00:00:00", GatewayIp));
        ProbeFrames.Single(_tap); // the answer

        // From 10.9.0.5 behind the next hop, with TTL 1: time exceeded back to it, through the next hop.
        ProbeFrames.Send(_pool, _router, 1, Framed(Packets.Ipv4Udp("10.9.0.5", "10.0.1.1", 16, ttl: 1), sourceMac: "02:aa:bb:cc:dd:99"));

        var sent = new EthernetPacket(new ByteArraySegment(ProbeFrames.Single(_tap)));
        Assert.Equal(Mac(Frames.HostMac), sent.DestinationHardwareAddress.ToString());
        var ip = Assert.IsType<IPv4Packet>(sent.PayloadPacket);
        Assert.Equal("10.9.0.5", ip.DestinationAddress.ToString());
        Assert.Equal(ProtocolType.Icmp, ip.Protocol);
    }

    private static byte[] Framed(byte[] packet, string sourceMac = Frames.HostMac)
    {
        var frame = new byte[EthernetFrame.HeaderLength + packet.Length];
        EthernetFrame.WriteHeader(frame, MacAddress.Parse(Frames.RouterMac), MacAddress.Parse(sourceMac), packet[0] >> 4 == 4 ? EtherType.Ipv4 : EtherType.Ipv6);
        packet.CopyTo(frame, EthernetFrame.HeaderLength);
        return frame;
    }

    private static PacketDotNet.ArpPacket ArpOf(byte[] frame) =>
        Assert.IsType<PacketDotNet.ArpPacket>(new EthernetPacket(new ByteArraySegment(frame)).PayloadPacket);

    private static string Mac(string text) => text.Replace(":", "").ToUpperInvariant();
}
