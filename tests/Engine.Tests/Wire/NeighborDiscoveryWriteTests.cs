using System.Net;
using System.Net.NetworkInformation;
using Engine.Actors.Wire;
using PacketDotNet;
using PacketDotNet.Ndp;
using Xunit;
using static Engine.Tests.Wire.NdpMessages;

namespace Engine.Tests.Wire;

public class NeighborDiscoveryWriteTests
{
    private static readonly MacAddress Router = MacAddress.Parse(Frames.RouterMac);
    private static readonly MacAddress Host = MacAddress.Parse(Frames.HostMac);
    private static readonly UInt128 RouterIp = Packets.V6("2001:db8::1");
    private static readonly UInt128 HostIp = Packets.V6("2001:db8::5");

    private static NdpLinkLayerAddressOption SingleLinkLayerOption(List<NdpOption> options) =>
        Assert.IsType<NdpLinkLayerAddressOption>(Assert.Single(options));

    [Theory]
    [InlineData("2001:db8::1", "ff02::1:ff00:1", "33:33:ff:00:00:01")]
    [InlineData("2001:db8::a:bcde:f012", "ff02::1:ffde:f012", "33:33:ff:de:f0:12")]
    [InlineData("fe80::1234:5678", "ff02::1:ff34:5678", "33:33:ff:34:56:78")]
    public void Writes_a_solicitation_to_the_solicited_node_group_that_PacketDotNet_reads(string target, string group, string groupMac)
    {
        byte[] buffer = Packets.InBuffer([], 1514);

        int length = NeighborDiscovery.WriteSolicitation(buffer, Router, RouterIp, Packets.V6(target));

        Assert.Equal(86, length);
        Assert.Equal(NeighborDiscovery.FrameLength, length);
        byte[] frame = buffer[..length];
        var (ethernet, ip, icmp) = Frames.ParseNdp(frame);
        Assert.Equal(PhysicalAddress.Parse(groupMac), ethernet.DestinationHardwareAddress);
        Assert.Equal(PhysicalAddress.Parse(Frames.RouterMac), ethernet.SourceHardwareAddress);
        Assert.Equal(EthernetType.IPv6, ethernet.Type);
        Assert.Equal(IPVersion.IPv6, ip.Version);
        Assert.Equal(0, ip.TrafficClass);
        Assert.Equal(0, ip.FlowLabel);
        Assert.Equal(32, ip.PayloadLength);
        Assert.Equal(ProtocolType.IcmpV6, ip.NextHeader);
        Assert.Equal(255, ip.HopLimit);
        Assert.Equal(IPAddress.Parse("2001:db8::1"), ip.SourceAddress);
        Assert.Equal(IPAddress.Parse(group), ip.DestinationAddress);
        Assert.Equal(IcmpV6Type.NeighborSolicitation, icmp.Type);
        Assert.Equal(0, icmp.Code);
        Assert.True(icmp.ValidIcmpChecksum);
        Assert.True(Frames.IcmpV6ChecksumValid(frame));
        Assert.Equal([0, 0, 0, 0], frame[58..62]);
        var ns = Assert.IsType<NdpNeighborSolicitationPacket>(icmp.PayloadPacket);
        Assert.Equal(IPAddress.Parse(target), ns.TargetAddress);
        var option = SingleLinkLayerOption(ns.OptionsCollection);
        Assert.Equal(OptionTypes.SourceLinkLayerAddress, option.Type);
        Assert.Equal(1, option.Length);
        Assert.Equal(PhysicalAddress.Parse(Frames.RouterMac), option.LinkLayerAddress);
        Assert.All(buffer[length..], b => Assert.Equal(0xA5, b));

        Assert.Equal(Packets.V6(group), NeighborDiscovery.SolicitedNodeAddress(Packets.V6(target)));
        Assert.True(TryParseSolicitation(frame, out var own));
        Assert.Equal(Packets.V6(target), own.Target);
        Assert.Equal(Router, own.SourceLinkLayerAddress);
    }

    [Fact]
    public void Leaves_the_source_link_layer_option_out_of_a_solicitation_from_the_unspecified_address()
    {
        var buffer = new byte[1514];

        int length = NeighborDiscovery.WriteSolicitation(buffer, Router, UInt128.Zero, RouterIp);

        Assert.Equal(78, length);
        byte[] frame = buffer[..length];
        var (_, ip, icmp) = Frames.ParseNdp(frame);
        Assert.Equal(24, ip.PayloadLength);
        Assert.Equal(IPAddress.IPv6Any, ip.SourceAddress);
        Assert.True(icmp.ValidIcmpChecksum);
        Assert.True(Frames.IcmpV6ChecksumValid(frame));
        Assert.True(TryParseSolicitation(frame, out var own));
        Assert.True(own.IsDuplicateAddressDetection);
        Assert.Null(own.SourceLinkLayerAddress);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public void Writes_an_advertisement_that_PacketDotNet_reads(bool solicited, bool router)
    {
        byte[] buffer = Packets.InBuffer([], 1514);

        int length = NeighborDiscovery.WriteAdvertisement(buffer, Router, RouterIp, Host, HostIp, RouterIp, solicited, router);

        Assert.Equal(86, length);
        byte[] frame = buffer[..length];
        var (ethernet, ip, icmp) = Frames.ParseNdp(frame);
        Assert.Equal(PhysicalAddress.Parse(Frames.HostMac), ethernet.DestinationHardwareAddress);
        Assert.Equal(PhysicalAddress.Parse(Frames.RouterMac), ethernet.SourceHardwareAddress);
        Assert.Equal(EthernetType.IPv6, ethernet.Type);
        Assert.Equal(32, ip.PayloadLength);
        Assert.Equal(ProtocolType.IcmpV6, ip.NextHeader);
        Assert.Equal(255, ip.HopLimit);
        Assert.Equal(IPAddress.Parse("2001:db8::1"), ip.SourceAddress);
        Assert.Equal(IPAddress.Parse("2001:db8::5"), ip.DestinationAddress);
        Assert.Equal(IcmpV6Type.NeighborAdvertisement, icmp.Type);
        Assert.Equal(0, icmp.Code);
        Assert.True(icmp.ValidIcmpChecksum);
        Assert.True(Frames.IcmpV6ChecksumValid(frame));
        var na = Assert.IsType<NdpNeighborAdvertisementPacket>(icmp.PayloadPacket);
        Assert.Equal(IPAddress.Parse("2001:db8::1"), na.TargetAddress);
        Assert.Equal(solicited, na.Solicited);
        Assert.Equal(router, na.Router);
        Assert.True(na.Override);
        Assert.Equal([0, 0, 0], frame[59..62]);
        var option = SingleLinkLayerOption(na.OptionsCollection);
        Assert.Equal(OptionTypes.TargetLinkLayerAddress, option.Type);
        Assert.Equal(1, option.Length);
        Assert.Equal(PhysicalAddress.Parse(Frames.RouterMac), option.LinkLayerAddress);
        Assert.All(buffer[length..], b => Assert.Equal(0xA5, b));

        Assert.True(TryParseAdvertisement(frame, out var own));
        Assert.Equal(RouterIp, own.Target);
        Assert.Equal(Router, own.TargetLinkLayerAddress);
        Assert.Equal(solicited, own.Solicited);
        Assert.Equal(router, own.Router);
    }

    [Fact]
    public void Clears_the_solicited_flag_of_an_advertisement_to_a_multicast_group()
    {
        var buffer = new byte[1514];
        UInt128 allNodes = Packets.V6("ff02::1");

        int length = NeighborDiscovery.WriteAdvertisement(buffer, Router, RouterIp, MacAddress.ForIpv6Multicast(allNodes), allNodes, RouterIp, solicited: true, router: true);

        byte[] frame = buffer[..length];
        var na = Assert.IsType<NdpNeighborAdvertisementPacket>(Frames.ParseNdp(frame).Icmp.PayloadPacket);
        Assert.False(na.Solicited);
        Assert.True(na.Router);
        Assert.Equal(PhysicalAddress.Parse("33:33:00:00:00:01"), Frames.ParseNdp(frame).Ethernet.DestinationHardwareAddress);
        Assert.True(TryParseAdvertisement(frame, out _));
    }

    [Fact]
    public void Answers_a_PacketDotNet_solicitation_so_that_its_sender_would_accept_the_answer()
    {
        byte[] request = Frames.Solicitation("2001:db8::5", "ff02::1:ff00:1", "2001:db8::1", Frames.HostMac);
        Assert.True(TryParseSolicitation(request, out var ns));
        Assert.True(EthernetFrame.TryParse(request, out var ethernet));
        Assert.True(Ipv6Packet.TryParse(ethernet.Payload, out var ip));
        var buffer = new byte[1514];

        int length = NeighborDiscovery.WriteAdvertisement(
            buffer, Router, ns.Target, ns.SourceLinkLayerAddress!.Value, ip.SourceAddress, ns.Target, solicited: true, router: true);

        Assert.True(TryParseAdvertisement(buffer[..length], out var na));
        Assert.Equal(Packets.V6("2001:db8::1"), na.Target);
        Assert.Equal(Router, na.TargetLinkLayerAddress);
        Assert.True(na.Solicited);
        Assert.Equal(Host, MacAddress.FromSpan(buffer));
    }

    [Fact]
    public void Leaves_too_small_a_buffer_alone()
    {
        byte[] buffer = Packets.InBuffer([], 85);

        Assert.Equal(0, NeighborDiscovery.WriteSolicitation(buffer, Router, RouterIp, HostIp));
        Assert.Equal(0, NeighborDiscovery.WriteSolicitation(buffer, Router, UInt128.Zero, HostIp));
        Assert.Equal(0, NeighborDiscovery.WriteAdvertisement(buffer, Router, RouterIp, Host, HostIp, RouterIp, true, true));
        Assert.All(buffer, b => Assert.Equal(0xA5, b));
    }

    [Theory]
    [InlineData("ff02::1:ff00:1", true)]
    [InlineData("ff02::1:ffab:cdef", true)]
    [InlineData("ff02::1", false)]
    [InlineData("ff02::2:ff00:1", false)]
    [InlineData("ff05::1:ff00:1", false)]
    [InlineData("2001:db8::1", false)]
    public void Knows_a_solicited_node_group(string address, bool expected)
    {
        Assert.Equal(expected, NeighborDiscovery.IsSolicitedNodeAddress(Packets.V6(address)));
    }
}
