using System.Buffers.Binary;
using Engine.Actors.Rules;
using Engine.Actors.Wire;
using Engine.Tests.Wire;
using Xunit;

namespace Engine.Tests.Rules;

/// <summary>A frame's fields as rules see them: behind Ethernet and VLAN tags, behind IPv6 extension headers, zeros where a frame has none.</summary>
public class FlowKeyReaderTests
{
    private static byte[] Ethernet(ushort type, byte[] payload)
    {
        var frame = new byte[EthernetFrame.HeaderLength + payload.Length];
        EthernetFrame.WriteHeader(frame, MacAddress.Broadcast, MacAddress.Parse("02:00:00:00:00:0a"), type);
        payload.CopyTo(frame, EthernetFrame.HeaderLength);
        return frame;
    }

    [Fact]
    public void An_ipv4_packet_on_a_tun_gives_its_protocol_ttl_and_addresses()
    {
        var packet = Packets.Ipv4Udp("10.0.1.2", "224.0.0.9", 24, ttl: 1);
        Assert.Equal(new FlowKey(3, EtherType.Ipv4, 17, 1, Packets.V4("10.0.1.2"), Packets.V4("224.0.0.9")), FlowKeyReader.Read(packet, ethernet: false, 3));
    }

    [Fact]
    public void An_ipv6_packet_behind_an_ethernet_header_and_a_vlan_tag_is_read_behind_them()
    {
        var packet = Packets.Ipv6Udp("fe80::1", "ff02::5", 24, hopLimit: 1);
        var frame = Ethernet(EtherType.Vlan, [0x00, 0x0a, 0x86, 0xdd, .. packet]);
        Assert.Equal(new FlowKey(1, EtherType.Ipv6, 17, 1, Packets.V6("fe80::1"), Packets.V6("ff02::5")), FlowKeyReader.Read(frame, ethernet: true, 1));
    }

    [Fact]
    public void An_mld_report_behind_hop_by_hop_options_is_icmpv6()
    {
        var packet = Packets.Ipv6Icmp("fe80::1", "ff02::16", PacketDotNet.IcmpV6Type.EchoRequest, bodyLength: 16);
        byte[] hopByHop = [58, 0, 5, 2, 0, 0, 1, 0]; // next: ICMPv6, router alert
        byte[] withOptions = [.. packet[..40], .. hopByHop, .. packet[40..]];
        withOptions[6] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(withOptions.AsSpan(4), (ushort)(withOptions.Length - 40));
        Assert.Equal(58, FlowKeyReader.Read(withOptions, ethernet: false, 0).IpProtocol);
    }

    [Fact]
    public void Arp_lldp_and_llc_frames_have_their_type_and_no_ip_fields()
    {
        Assert.Equal(new FlowKey(2, EtherType.Arp, 0, 0, 0, 0), FlowKeyReader.Read(Ethernet(EtherType.Arp, new byte[28]), ethernet: true, 2));
        Assert.Equal(new FlowKey(2, 0x88CC, 0, 0, 0, 0), FlowKeyReader.Read(Ethernet(0x88CC, new byte[46]), ethernet: true, 2));
        // IS-IS: an 802.3 length, then LLC fe fe 03.
        Assert.Equal(new FlowKey(2, FlowKey.Llc, 0, 0, 0, 0), FlowKeyReader.Read(Ethernet(49, [0xfe, 0xfe, 0x03, .. new byte[46]]), ethernet: true, 2));
    }

    [Theory]
    [InlineData(new byte[0], false)]
    [InlineData(new byte[] { 0x45, 0, 0 }, false)]
    [InlineData(new byte[] { 0x60, 0, 0, 0, 0, 0 }, false)]
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x08 }, true)]
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x08, 0x00, 0x45 }, true)]
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x81, 0x00, 0x00 }, true)]
    public void A_truncated_frame_keeps_what_could_be_read_and_zeros(byte[] frame, bool ethernet)
    {
        var key = FlowKeyReader.Read(frame, ethernet, 4);
        Assert.Equal(4, key.InPort);
        Assert.Equal(0, key.IpProtocol);
        Assert.Equal(UInt128.Zero, key.Destination);
    }
}
