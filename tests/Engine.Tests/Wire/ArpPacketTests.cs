using System.Net;
using System.Net.NetworkInformation;
using Engine.Actors.Wire;
using PacketDotNet;
using PacketDotNet.Utils;
using Xunit;
using ArpPacket = Engine.Actors.Wire.ArpPacket;
using ArpOperation = Engine.Actors.Wire.ArpOperation;
using PdnArpOperation = PacketDotNet.ArpOperation;
using PdnArpPacket = PacketDotNet.ArpPacket;

namespace Engine.Tests.Wire;

public class ArpPacketTests
{
    private static readonly MacAddress Router = MacAddress.Parse(Frames.RouterMac);
    private static readonly MacAddress Host = MacAddress.Parse(Frames.HostMac);

    private static bool TryParseFrame(byte[] frame, out ArpPacket arp)
    {
        arp = default;
        return EthernetFrame.TryParse(frame, out var ethernet)
            && ethernet.EtherType == EtherType.Arp
            && ArpPacket.TryParse(ethernet.Payload, out arp);
    }

    private static (EthernetPacket Ethernet, PdnArpPacket Arp) ParseWithPacketDotNet(byte[] buffer, int length)
    {
        var ethernet = new EthernetPacket(new ByteArraySegment(buffer.AsSpan(0, length).ToArray()));
        return (ethernet, Assert.IsType<PdnArpPacket>(ethernet.PayloadPacket));
    }

    [Fact]
    public void Reads_a_broadcast_request_built_by_PacketDotNet()
    {
        byte[] frame = Frames.Arp(PdnArpOperation.Request, Frames.HostMac, "10.0.0.5", "00:00:00:00:00:00", "10.0.0.1");

        Assert.True(TryParseFrame(frame, out var arp));
        Assert.Equal(ArpOperation.Request, arp.Operation);
        Assert.Equal(Host, arp.SenderMac);
        Assert.Equal(Packets.V4("10.0.0.5"), arp.SenderIp);
        Assert.Equal(default, arp.TargetMac);
        Assert.Equal(Packets.V4("10.0.0.1"), arp.TargetIp);
        Assert.False(arp.IsGratuitous);
        Assert.Equal(frame[14..], arp.Bytes.ToArray());
    }

    [Fact]
    public void Reads_a_reply_built_by_PacketDotNet()
    {
        byte[] frame = Frames.Arp(PdnArpOperation.Response, Frames.HostMac, "10.0.0.5", Frames.RouterMac, "10.0.0.1", Frames.RouterMac);

        Assert.True(TryParseFrame(frame, out var arp));
        Assert.Equal(ArpOperation.Reply, arp.Operation);
        Assert.Equal(Host, arp.SenderMac);
        Assert.Equal(Packets.V4("10.0.0.5"), arp.SenderIp);
        Assert.Equal(Router, arp.TargetMac);
        Assert.Equal(Packets.V4("10.0.0.1"), arp.TargetIp);
    }

    [Fact]
    public void Recognises_a_gratuitous_announcement()
    {
        byte[] frame = Frames.Arp(PdnArpOperation.Request, Frames.HostMac, "10.0.0.5", "00:00:00:00:00:00", "10.0.0.5");

        Assert.True(TryParseFrame(frame, out var arp));
        Assert.True(arp.IsGratuitous);
    }

    [Fact]
    public void Ignores_the_padding_of_a_minimum_size_frame()
    {
        byte[] frame = Frames.Arp(PdnArpOperation.Request, Frames.HostMac, "10.0.0.5", "00:00:00:00:00:00", "10.0.0.1");
        byte[] padded = Packets.InBuffer(frame, 60);

        Assert.True(TryParseFrame(padded, out var arp));
        Assert.Equal(28, arp.Bytes.Length);
        Assert.Equal(Packets.V4("10.0.0.1"), arp.TargetIp);
    }

    /// <summary>A hand-built request 10.0.0.5 → 10.0.0.1, as an Ethernet payload.</summary>
    private static byte[] HandBuilt() =>
    [
        0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
        0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0x01, 10, 0, 0, 5,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 10, 0, 0, 1,
    ];

    [Fact]
    public void Reads_a_hand_built_request()
    {
        Assert.True(ArpPacket.TryParse(HandBuilt(), out var arp));
        Assert.Equal(ArpOperation.Request, arp.Operation);
        Assert.Equal(0x02aa_bbcc_dd01UL, arp.SenderMac.Value);
        Assert.Equal(0x0A00_0005u, arp.SenderIp);
        Assert.Equal(0x0A00_0001u, arp.TargetIp);
    }

    [Theory]
    [InlineData(1, 0x00, "hardware type 0")]
    [InlineData(1, 0x06, "hardware type 6 (IEEE 802)")]
    [InlineData(2, 0x86, "protocol type 0x86DD")]
    [InlineData(4, 0x08, "hardware length 8")]
    [InlineData(5, 0x10, "protocol length 16")]
    [InlineData(5, 0x06, "protocol length 6")]
    [InlineData(7, 0x03, "operation 3 (RARP request)")]
    [InlineData(7, 0x00, "operation 0")]
    public void Rejects_anything_but_ethernet_ipv4_requests_and_replies(int offset, byte value, string what)
    {
        byte[] bytes = HandBuilt();
        Assert.True(ArpPacket.TryParse(bytes, out _));
        bytes[offset] = value;
        if (offset == 2)
            bytes[3] = 0xDD;

        Assert.False(ArpPacket.TryParse(bytes, out _), what);
    }

    [Fact]
    public void Rejects_a_truncated_packet()
    {
        Assert.False(ArpPacket.TryParse(HandBuilt().AsSpan(0, 27).ToArray(), out _));
        Assert.False(ArpPacket.TryParse([], out _));
    }

    [Fact]
    public void Writes_a_reply_that_PacketDotNet_reads_field_by_field()
    {
        byte[] buffer = Packets.InBuffer([], 1514);

        int length = ArpPacket.WriteReply(buffer, Router, Packets.V4("10.0.0.1"), Host, Packets.V4("10.0.0.5"));

        Assert.Equal(42, length);
        Assert.Equal(ArpPacket.FrameLength, length);
        var (ethernet, arp) = ParseWithPacketDotNet(buffer, length);
        Assert.Equal(PhysicalAddress.Parse(Frames.HostMac), ethernet.DestinationHardwareAddress);
        Assert.Equal(PhysicalAddress.Parse(Frames.RouterMac), ethernet.SourceHardwareAddress);
        Assert.Equal(EthernetType.Arp, ethernet.Type);
        Assert.Equal(LinkLayers.Ethernet, arp.HardwareAddressType);
        Assert.Equal(EthernetType.IPv4, arp.ProtocolAddressType);
        Assert.Equal(6, arp.HardwareAddressLength);
        Assert.Equal(4, arp.ProtocolAddressLength);
        Assert.Equal(PdnArpOperation.Response, arp.Operation);
        Assert.Equal(PhysicalAddress.Parse(Frames.RouterMac), arp.SenderHardwareAddress);
        Assert.Equal(IPAddress.Parse("10.0.0.1"), arp.SenderProtocolAddress);
        Assert.Equal(PhysicalAddress.Parse(Frames.HostMac), arp.TargetHardwareAddress);
        Assert.Equal(IPAddress.Parse("10.0.0.5"), arp.TargetProtocolAddress);
        Assert.All(buffer[length..], b => Assert.Equal(0xA5, b));
    }

    [Fact]
    public void Writes_a_broadcast_request_that_PacketDotNet_reads_field_by_field()
    {
        byte[] buffer = Packets.InBuffer([], 1514);

        int length = ArpPacket.WriteRequest(buffer, Router, Packets.V4("10.0.0.1"), Packets.V4("10.0.0.77"));

        Assert.Equal(42, length);
        var (ethernet, arp) = ParseWithPacketDotNet(buffer, length);
        Assert.Equal(PhysicalAddress.Parse("ff:ff:ff:ff:ff:ff"), ethernet.DestinationHardwareAddress);
        Assert.Equal(PhysicalAddress.Parse(Frames.RouterMac), ethernet.SourceHardwareAddress);
        Assert.Equal(EthernetType.Arp, ethernet.Type);
        Assert.Equal(LinkLayers.Ethernet, arp.HardwareAddressType);
        Assert.Equal(EthernetType.IPv4, arp.ProtocolAddressType);
        Assert.Equal(PdnArpOperation.Request, arp.Operation);
        Assert.Equal(PhysicalAddress.Parse(Frames.RouterMac), arp.SenderHardwareAddress);
        Assert.Equal(IPAddress.Parse("10.0.0.1"), arp.SenderProtocolAddress);
        Assert.Equal(PhysicalAddress.Parse("00:00:00:00:00:00"), arp.TargetHardwareAddress);
        Assert.Equal(IPAddress.Parse("10.0.0.77"), arp.TargetProtocolAddress);
        Assert.All(buffer[length..], b => Assert.Equal(0xA5, b));
    }

    [Fact]
    public void Reads_back_what_it_writes()
    {
        var buffer = new byte[64];
        int length = ArpPacket.WriteRequest(buffer, Router, 0xC0A8_0101, 0xC0A8_01FE);

        Assert.True(TryParseFrame(buffer.AsSpan(0, length).ToArray(), out var request));
        Assert.Equal(ArpOperation.Request, request.Operation);
        Assert.Equal(Router, request.SenderMac);
        Assert.Equal(0xC0A8_0101u, request.SenderIp);
        Assert.Equal(0xC0A8_01FEu, request.TargetIp);

        length = ArpPacket.WriteReply(buffer, Router, 0xC0A8_0101, Host, 0xC0A8_0105);
        Assert.True(TryParseFrame(buffer.AsSpan(0, length).ToArray(), out var reply));
        Assert.Equal(ArpOperation.Reply, reply.Operation);
        Assert.Equal(Host, reply.TargetMac);
        Assert.Equal(0xC0A8_0105u, reply.TargetIp);
    }

    [Fact]
    public void Leaves_too_small_a_buffer_alone()
    {
        byte[] buffer = Packets.InBuffer([], 41);

        Assert.Equal(0, ArpPacket.WriteReply(buffer, Router, 1, Host, 2));
        Assert.Equal(0, ArpPacket.WriteRequest(buffer, Router, 1, 2));
        Assert.All(buffer, b => Assert.Equal(0xA5, b));
    }

    [Fact]
    public void Answers_a_PacketDotNet_request_with_a_reply_to_its_sender()
    {
        byte[] request = Frames.Arp(PdnArpOperation.Request, Frames.HostMac, "10.0.0.5", "00:00:00:00:00:00", "10.0.0.1");
        Assert.True(TryParseFrame(request, out var asked));
        var buffer = new byte[1514];

        int length = ArpPacket.WriteReply(buffer, Router, asked.TargetIp, asked.SenderMac, asked.SenderIp);

        byte[] expected = Frames.Arp(PdnArpOperation.Response, Frames.RouterMac, "10.0.0.1", Frames.HostMac, "10.0.0.5", Frames.HostMac);
        Assert.Equal(expected, buffer[..length]);
    }
}
