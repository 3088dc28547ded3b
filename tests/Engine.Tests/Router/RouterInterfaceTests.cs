using System.Diagnostics;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Router;
using Engine.Actors.Routing;
using Engine.Actors.Switching;
using Engine.Actors.Wire;
using Engine.Tests.Wire;
using PacketDotNet;
using PacketDotNet.Utils;
using Xunit;
using ArpOperation = PacketDotNet.ArpOperation;
using static Engine.Tests.Routing.TestPrefixes;

namespace Engine.Tests.Router;

/// <summary>
/// A switch's router interface: hosts on the switch have the engine as their gateway, reached
/// through the switch. ARP and ND for the gateway are answered from its MAC, a host's packet to
/// that MAC is routed, a packet to a host is resolved by an ARP request flooded to the members and
/// switched to that host alone, and ICMP errors come from the gateway address. Nothing is ever
/// sent to the router interface's own target: it has no device behind it.
/// </summary>
public sealed class RouterInterfaceTests : TestKit
{
    private const string HostA = "10.0.5.1";
    private const string HostB = "10.0.5.2";
    private const string HostBMac = "02:aa:bb:cc:dd:02";
    private const string Gateway = "10.0.5.254";
    private const string GatewayV6 = "fd00:5::fe";
    private const string FarHost = "10.0.9.1";

    private readonly FrameBatchPool _pool = TestPorts.Pool();
    private readonly TestProbe[] _probes;
    private readonly Port[] _ports;
    private readonly IActorRef _router;

    // Ports 0 and 1 taps, members 0 and 1 of switch lan1; port 2 a routed tun (10.0.9.0/24);
    // port 3 lan1's router interface, its member 2, with 10.0.5.254/24 and fd00:5::fe/64.
    public RouterInterfaceTests()
    {
        _probes = Enumerable.Range(0, 4).Select(i => CreateTestProbe($"p{i}")).ToArray();
        var lan = TestPorts.Lan("lan1", [0, 1, 3], routerMember: 2);
        _ports =
        [
            TestPorts.Member(0, "p0", _probes[0], lan, 0),
            TestPorts.Member(1, "p1", _probes[1], lan, 1),
            TestPorts.Tun(2, "tun", _probes[2], "10.0.9.254"),
            TestPorts.Tap(3, "lan1", _probes[3], Gateway, GatewayV6, routerInterfaceOf: lan),
        ];
        _router = Sys.ActorOf(RouterActor.Props(_pool, new RouteSnapshot(_ports, [(Prefix("10.0.5.0/24"), 3), (Prefix("fd00:5::/64"), 3), (Prefix("10.0.9.0/24"), 2)]), new RouterCounters()));
    }

    [Fact]
    public void An_arp_request_for_the_gateway_floods_to_the_other_hosts_and_is_answered_from_the_router_interface()
    {
        var request = Frames.Arp(ArpOperation.Request, Frames.HostMac, HostA, "00:00:00:00:00:00", Gateway);
        Send(0, request);

        Assert.Equal(request, Single(_probes[1]));
        var reply = new EthernetPacket(new ByteArraySegment(Single(_probes[0])));
        var arp = Assert.IsType<PacketDotNet.ArpPacket>(reply.PayloadPacket);
        Assert.Equal(ArpOperation.Response, arp.Operation);
        Assert.Equal(Gateway, arp.SenderProtocolAddress.ToString());
        Assert.Equal(Mac(Frames.RouterMac), reply.SourceHardwareAddress.ToString());
        Assert.Equal(Mac(Frames.HostMac), reply.DestinationHardwareAddress.ToString());
        _probes[3].ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_neighbour_solicitation_for_the_v6_gateway_is_answered_from_the_router_interface()
    {
        Send(0, Frames.Solicitation("fd00:5::1", "ff02::1:ff00:fe", GatewayV6, Frames.HostMac));

        Single(_probes[1]);
        var answer = Single(_probes[0]);
        Assert.True(NdpMessages.TryParseAdvertisement(answer, out var advertisement));
        Assert.Equal(Packets.V6(GatewayV6), advertisement.Target);
        Assert.Equal(Mac(Frames.RouterMac), new EthernetPacket(new ByteArraySegment(answer)).SourceHardwareAddress.ToString());
        _probes[3].ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_hosts_packet_to_the_gateway_mac_is_routed_and_reaches_no_other_member()
    {
        Send(0, InFrame(Frames.RouterMac, Frames.HostMac, Packets.Ipv4Udp(HostA, FarHost, 16)));

        var routed = Single(_probes[2]);
        var ip = new IPv4Packet(new ByteArraySegment(routed));
        Assert.Equal(FarHost, ip.DestinationAddress.ToString());
        Assert.Equal(63, ip.TimeToLive);
        _probes[1].ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal(1, _ports[3].Counters.RxPackets);
        Assert.Equal(0, _ports[0].Counters.TotalDrops + _ports[3].Counters.TotalDrops);
    }

    [Fact]
    public void A_packet_to_a_host_on_the_switch_waits_for_a_flooded_arp_request_then_goes_to_that_host_alone()
    {
        Send(2, Packets.Ipv4Udp(FarHost, HostB, 16));

        foreach (var member in new[] { 0, 1 })
        {
            var asked = new EthernetPacket(new ByteArraySegment(Single(_probes[member])));
            var arp = Assert.IsType<PacketDotNet.ArpPacket>(asked.PayloadPacket);
            Assert.Equal(ArpOperation.Request, arp.Operation);
            Assert.Equal(HostB, arp.TargetProtocolAddress.ToString());
            Assert.Equal(Gateway, arp.SenderProtocolAddress.ToString());
        }

        Send(1, Frames.Arp(ArpOperation.Response, HostBMac, HostB, Frames.RouterMac, Gateway, Frames.RouterMac));

        var delivered = new EthernetPacket(new ByteArraySegment(Single(_probes[1])));
        Assert.Equal(Mac(HostBMac), delivered.DestinationHardwareAddress.ToString());
        Assert.Equal(Mac(Frames.RouterMac), delivered.SourceHardwareAddress.ToString());
        Assert.Equal(HostB, Assert.IsType<IPv4Packet>(delivered.PayloadPacket).DestinationAddress.ToString());
        _probes[0].ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        _probes[3].ExpectNoMsg(TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, _ports[3].Counters.Drops(DropReason.Unresolved));
    }

    [Fact]
    public void A_hosts_packet_with_ttl_1_gets_time_exceeded_from_the_gateway_address()
    {
        Send(0, InFrame(Frames.RouterMac, Frames.HostMac, Packets.Ipv4Udp(HostA, FarHost, 16, ttl: 1)));

        var answer = new EthernetPacket(new ByteArraySegment(Single(_probes[0])));
        Assert.Equal(Mac(Frames.HostMac), answer.DestinationHardwareAddress.ToString());
        var ip = Assert.IsType<IPv4Packet>(answer.PayloadPacket);
        Assert.Equal(Gateway, ip.SourceAddress.ToString());
        Assert.Equal(HostA, ip.DestinationAddress.ToString());
        Assert.Equal(IcmpV4TypeCode.TimeExceeded, Assert.IsType<IcmpV4Packet>(ip.PayloadPacket).TypeCode);
        _probes[2].ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal(1, _ports[3].Counters.Drops(DropReason.TtlExpired));
    }

    [Fact]
    public void A_hosts_ping_to_the_gateway_is_answered()
    {
        Send(0, InFrame(Frames.RouterMac, Frames.HostMac, Packets.Ipv4Icmp(HostA, Gateway, IcmpV4TypeCode.EchoRequest)));

        var reply = new EthernetPacket(new ByteArraySegment(Single(_probes[0])));
        var ip = Assert.IsType<IPv4Packet>(reply.PayloadPacket);
        Assert.Equal(Gateway, ip.SourceAddress.ToString());
        Assert.Equal(IcmpV4TypeCode.EchoReply, Assert.IsType<IcmpV4Packet>(ip.PayloadPacket).TypeCode);
        Assert.Equal(1, _ports[3].Counters.TxPackets);
    }

    [Fact]
    public void Unknown_unicast_between_hosts_is_flooded_to_the_hosts_but_not_to_the_router()
    {
        Send(0, InFrame(HostBMac, Frames.HostMac, Packets.Ipv4Udp(HostA, HostB, 16)));

        Single(_probes[1]);
        _probes[0].ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal(0, _ports[3].Counters.RxPackets);
        Assert.Equal(0, _ports[3].Counters.TotalDrops);
    }

    private static string Mac(string text) => text.Replace(":", "").ToUpperInvariant();

    private static byte[] InFrame(string destinationMac, string sourceMac, byte[] packet)
    {
        var frame = new byte[EthernetFrame.HeaderLength + packet.Length];
        EthernetFrame.WriteHeader(frame, MacAddress.Parse(destinationMac), MacAddress.Parse(sourceMac), (packet[0] >> 4) == 4 ? EtherType.Ipv4 : EtherType.Ipv6);
        packet.CopyTo(frame, EthernetFrame.HeaderLength);
        return frame;
    }

    private void Send(int port, byte[] frame) => ProbeFrames.Send(_pool, _router, port, frame);

    private static byte[] Single(TestProbe probe) => ProbeFrames.Single(probe);
}
