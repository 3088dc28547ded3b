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
/// The control-plane namespace's mirrors of routed ports: what a routed port's link sends the
/// router itself (its addresses, link-local multicast, TTL 1 to it, IPv6 link-local unicast)
/// reaches the port's mirror unchanged; ARP for the gateway and ND reach it as a copy while the
/// engine answers as before; echo requests to the engine and transit traffic do not reach it; and
/// what the mirror writes leaves through its port as it is, TTL untouched.
/// </summary>
public sealed class ControlPlaneForwardingTests : TestKit
{
    private const string TunHost = "10.0.1.1";
    private const string TunGateway = "10.0.1.254";
    private const string TunGatewayV6 = "fd00:1::fe";
    private const string TapHost = "10.0.2.1";
    private const string TapGateway = "10.0.2.254";
    private const string TapHostV6 = "fd00:2::1";
    private const string TapGatewayV6 = "fd00:2::fe";
    private const string FarHost = "10.0.9.1";
    private const int Tun = 0, Tap = 1, Far = 2, TunMirror = 3, TapMirror = 4;

    private readonly FrameBatchPool _pool = TestPorts.Pool();
    private readonly TestProbe[] _probes;
    private readonly Port[] _ports;
    private readonly IActorRef _router;

    // Port 0 a routed tun (10.0.1.0/24, fd00:1::/64) and port 1 a routed tap (10.0.2.0/24,
    // fd00:2::/64), mirrored by ports 3 (a tun) and 4 (a tap with the engine's MAC); port 2 a
    // routed tun (10.0.9.0/24) without a mirror, as in a lab whose far side is not routed.
    public ControlPlaneForwardingTests()
    {
        _probes = Enumerable.Range(0, 5).Select(i => CreateTestProbe($"p{i}")).ToArray();
        _ports =
        [
            TestPorts.Tun(Tun, "tun-a", _probes[Tun], TunGateway, TunGatewayV6, controlPlane: TunMirror),
            TestPorts.Tap(Tap, "tap-b", _probes[Tap], TapGateway, TapGatewayV6, controlPlane: TapMirror),
            TestPorts.Tun(Far, "tun-c", _probes[Far], "10.0.9.254"),
            TestPorts.Tun(TunMirror, "tun-a@rtr", _probes[TunMirror], mirrorOf: Tun),
            TestPorts.Tap(TapMirror, "tap-b@rtr", _probes[TapMirror], mirrorOf: Tap),
        ];
        _router = Sys.ActorOf(RouterActor.Props(_pool, new RouteSnapshot(_ports,
            [(Prefix("10.0.1.0/24"), Tun), (Prefix("fd00:1::/64"), Tun), (Prefix("10.0.2.0/24"), Tap), (Prefix("fd00:2::/64"), Tap), (Prefix("10.0.9.0/24"), Far)]),
            new RouterCounters()));
    }

    [Theory]
    [InlineData("224.0.0.5")] // OSPF's AllSPFRouters
    [InlineData("224.0.0.9")] // RIPv2
    public void Link_local_multicast_from_a_tun_reaches_its_mirror_unchanged(string group)
    {
        var hello = Packets.Ipv4Udp(TunHost, group, 44, ttl: 1);
        Send(Tun, hello);

        Assert.Equal(hello, Single(_probes[TunMirror], tag: Tun));
        AssertNothingElse(TunMirror);
        Assert.Equal(0, _ports[Tun].Counters.TotalDrops);
    }

    [Fact]
    public void A_ttl_1_packet_to_the_engines_address_on_a_tun_reaches_the_mirror_unchanged_where_it_was_a_not_routable_drop()
    {
        var bgp = Packets.Ipv4Udp(TunHost, TunGateway, 19, ttl: 1);
        Send(Tun, bgp);

        Assert.Equal(bgp, Single(_probes[TunMirror]));
        AssertNothingElse(TunMirror);
        Assert.Equal(0, _ports[Tun].Counters.TotalDrops);
    }

    [Fact]
    public void An_echo_request_to_the_engines_address_is_answered_by_the_engine_and_not_mirrored()
    {
        Send(Tun, Packets.Ipv4Icmp(TunHost, TunGateway, IcmpV4TypeCode.EchoRequest));

        var reply = new IPv4Packet(new ByteArraySegment(Single(_probes[Tun])));
        Assert.Equal(IcmpV4TypeCode.EchoReply, Assert.IsType<IcmpV4Packet>(reply.PayloadPacket).TypeCode);
        _probes[TunMirror].ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void An_ipv6_echo_request_to_the_gateway_is_answered_while_other_traffic_to_it_and_to_link_local_addresses_is_mirrored()
    {
        Send(Tun, Packets.Ipv6Icmp("fd00:1::1", TunGatewayV6, IcmpV6Type.EchoRequest));
        var reply = new IPv6Packet(new ByteArraySegment(Single(_probes[Tun])));
        Assert.Equal(IcmpV6Type.EchoReply, Assert.IsType<IcmpV6Packet>(reply.PayloadPacket).Type);

        foreach (var packet in new[]
        {
            Packets.Ipv6Udp("fd00:1::1", TunGatewayV6, 20),
            Packets.Ipv6Udp("fe80::1", "ff02::5", 40, hopLimit: 1), // OSPFv3's AllSPFRouters
            Packets.Ipv6Udp("fe80::1", "fe80::2", 40, hopLimit: 1), // an OSPFv3 neighbour's exchange
        })
        {
            Send(Tun, packet);
            Assert.Equal(packet, Single(_probes[TunMirror]));
        }
        AssertNothingElse(TunMirror);
        Assert.Equal(0, _ports[Tun].Counters.TotalDrops);
    }

    [Fact]
    public void Transit_traffic_is_routed_as_before_and_never_reaches_a_mirror()
    {
        Send(Tun, Packets.Ipv4Udp(TunHost, FarHost, 16, ttl: 2));

        var routed = new IPv4Packet(new ByteArraySegment(Single(_probes[Far])));
        Assert.Equal(1, routed.TimeToLive);
        _probes[TunMirror].ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        _probes[TapMirror].ExpectNoMsg(TimeSpan.FromMilliseconds(0));
    }

    [Fact]
    public void What_the_mirror_writes_leaves_through_its_tun_as_it_is_ttl_1_included()
    {
        var hello = Packets.Ipv4Udp(TunGateway, "224.0.0.5", 44, ttl: 1);
        Send(TunMirror, hello);

        Assert.Equal(hello, Single(_probes[Tun], tag: TunMirror));
        AssertNothingElse(Tun);
        Assert.Equal(0, _ports[TunMirror].Counters.TotalDrops);
    }

    [Fact]
    public void An_arp_request_for_the_tap_gateway_is_answered_by_the_engine_and_copied_to_the_mirror()
    {
        var request = Frames.Arp(ArpOperation.Request, Frames.HostMac, TapHost, "00:00:00:00:00:00", TapGateway);
        Send(Tap, request);

        Assert.Equal(request, Single(_probes[TapMirror], tag: Tap));
        var arp = Assert.IsType<PacketDotNet.ArpPacket>(new EthernetPacket(new ByteArraySegment(Single(_probes[Tap]))).PayloadPacket);
        Assert.Equal(ArpOperation.Response, arp.Operation);
        Assert.Equal(TapGateway, arp.SenderProtocolAddress.ToString());
    }

    [Fact]
    public void An_arp_request_for_another_address_is_not_copied()
    {
        Send(Tap, Frames.Arp(ArpOperation.Request, Frames.HostMac, TapHost, "00:00:00:00:00:00", "10.0.2.7"));

        _probes[TapMirror].ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_neighbour_solicitation_for_the_tap_gateway_is_answered_by_the_engine_and_copied_to_the_mirror()
    {
        var solicitation = Frames.Solicitation(TapHostV6, "ff02::1:ff00:fe", TapGatewayV6, Frames.HostMac);
        Send(Tap, solicitation);

        Assert.Equal(solicitation, Single(_probes[TapMirror]));
        var (_, _, icmp) = Frames.ParseNdp(Single(_probes[Tap]));
        Assert.Equal(IcmpV6Type.NeighborAdvertisement, icmp.Type);
    }

    [Fact]
    public void A_router_solicitation_reaches_the_mirror_alone_where_it_was_a_not_routable_drop()
    {
        var solicitation = Frames.InFrame(Frames.HostMac, "33:33:00:00:00:02", "fe80::1", "ff02::2", 255, [133, 0, 0, 0, 0, 0, 0, 0]);
        Send(Tap, solicitation);

        Assert.Equal(solicitation, Single(_probes[TapMirror]));
        AssertNothingElse(TapMirror);
        Assert.Equal(0, _ports[Tap].Counters.TotalDrops);
    }

    [Fact]
    public void A_tap_hosts_ospf_hello_and_its_unicast_to_the_gateway_reach_the_mirror_in_their_ethernet_frames()
    {
        foreach (var frame in new[]
        {
            Frames.Ipv4InEthernet("01:00:5e:00:00:05", Frames.HostMac, Packets.Ipv4Udp(TapHost, "224.0.0.5", 44, ttl: 1)),
            Frames.Ipv4InEthernet(Frames.RouterMac, Frames.HostMac, Packets.Ipv4Udp(TapHost, TapGateway, 30, ttl: 1)),
        })
        {
            Send(Tap, frame);
            Assert.Equal(frame, Single(_probes[TapMirror], tag: Tap));
        }
        AssertNothingElse(TapMirror);
        _probes[Tap].ExpectNoMsg(TimeSpan.FromMilliseconds(0));
        Assert.Equal(0, _ports[Tap].Counters.TotalDrops);
    }

    [Fact]
    public void What_the_tap_mirror_writes_leaves_through_its_tap_as_it_is()
    {
        var reply = Frames.Arp(ArpOperation.Response, Frames.RouterMac, TapGateway, Frames.HostMac, TapHost, Frames.HostMac);
        Send(TapMirror, reply);

        Assert.Equal(reply, Single(_probes[Tap]));
        AssertNothingElse(Tap);
    }

    private void AssertNothingElse(int port)
    {
        foreach (var probe in _probes.Where((_, i) => i != port))
            probe.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    private void Send(int port, byte[] frame) => ProbeFrames.Send(_pool, _router, port, frame);

    private static byte[] Single(TestProbe probe, int? tag = null) => ProbeFrames.Single(probe, tag);
}
