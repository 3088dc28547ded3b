using System.Buffers.Binary;
using Engine.Actors.Wire;
using Xunit;
using PacketDotNet;
using PacketDotNet.Utils;

namespace Engine.Tests.Wire;

public class IcmpV4ErrorTests
{
    private const string Router = "192.0.2.254";
    private const string Sender = "10.1.0.5";

    private static (IPv4Packet Ip, IcmpV4Packet Icmp) ParseWithPacketDotNet(byte[] buffer, int length)
    {
        // A copy of exactly the packet: PacketDotNet 1.4.8 checksums ICMPv6 to the end of the
        // backing array, not the end of the segment.
        var ip = new IPv4Packet(new ByteArraySegment(buffer.AsSpan(0, length).ToArray()));
        return (ip, Assert.IsType<IcmpV4Packet>(ip.PayloadPacket));
    }

    [Theory]
    [InlineData(IcmpV4ErrorKind.TimeExceeded, IcmpV4TypeCode.TimeExceeded, 11, 0)]
    [InlineData(IcmpV4ErrorKind.NetUnreachable, IcmpV4TypeCode.UnreachableNet, 3, 0)]
    [InlineData(IcmpV4ErrorKind.HostUnreachable, IcmpV4TypeCode.UnreachableHost, 3, 1)]
    [InlineData(IcmpV4ErrorKind.FragmentationNeeded, IcmpV4TypeCode.UnreachableFragmentationNeeded, 3, 4)]
    public void Builds_a_valid_error_that_quotes_the_original(IcmpV4ErrorKind kind, IcmpV4TypeCode typeCode, byte type, byte code)
    {
        byte[] original = Packets.Ipv4Udp(Sender, "10.2.0.9", 100, ttl: 1, id: 0x7777);
        byte[] buffer = Packets.InBuffer(original, 1500);

        int length = IcmpV4Error.Write(buffer, original.Length, kind, 1400, Packets.V4(Router));

        Assert.Equal(20 + 8 + original.Length, length);
        var (ip, icmp) = ParseWithPacketDotNet(buffer, length);
        Assert.Equal(IPVersion.IPv4, ip.Version);
        Assert.Equal(length, ip.TotalLength);
        Assert.Equal(20, ip.HeaderLength * 4);
        Assert.Equal(64, ip.TimeToLive);
        Assert.Equal(ProtocolType.Icmp, ip.Protocol);
        Assert.Equal(0, ip.FragmentFlags);
        Assert.Equal(0, ip.FragmentOffset);
        Assert.Equal(Router, ip.SourceAddress.ToString());
        Assert.Equal(Sender, ip.DestinationAddress.ToString());
        Assert.True(ip.ValidIPChecksum);
        Assert.Equal(typeCode, icmp.TypeCode);
        Assert.Equal(type, buffer[20]);
        Assert.Equal(code, buffer[21]);
        Assert.True(icmp.ValidIcmpChecksum);
        Assert.True(InternetChecksum.IsValid(buffer.AsSpan(20, length - 20)));
        Assert.Equal(original, buffer.AsSpan(28, length - 28).ToArray());

        ushort expectedMtu = kind == IcmpV4ErrorKind.FragmentationNeeded ? (ushort)1400 : (ushort)0;
        Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(24)));
        Assert.Equal(expectedMtu, BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(26)));

        Assert.True(Ipv4Packet.TryParse(buffer.AsSpan(0, length), out var own));
        Assert.True(own.VerifyHeaderChecksum());
        Assert.Equal(Packets.V4(Sender), own.DestinationAddress);
    }

    [Fact]
    public void Quotes_at_most_what_fits_in_576_bytes()
    {
        byte[] original = Packets.Ipv4Udp(Sender, "10.2.0.9", 1372);
        byte[] buffer = Packets.InBuffer(original, 1500);

        int length = IcmpV4Error.Write(buffer, original.Length, IcmpV4ErrorKind.FragmentationNeeded, 1280, Packets.V4(Router));

        Assert.Equal(576, length);
        Assert.Equal(original.AsSpan(0, 548).ToArray(), buffer.AsSpan(28, 548).ToArray());
        var (ip, icmp) = ParseWithPacketDotNet(buffer, length);
        Assert.True(ip.ValidIPChecksum);
        Assert.True(icmp.ValidIcmpChecksum);
        Assert.True(InternetChecksum.IsValid(buffer.AsSpan(20, length - 20)));

        buffer[575] ^= 0x01; // both checkers must notice the last quoted byte changing
        Assert.False(ParseWithPacketDotNet(buffer, length).Icmp.ValidIcmpChecksum);
        Assert.False(InternetChecksum.IsValid(buffer.AsSpan(20, length - 20)));
    }

    [Fact]
    public void Fits_the_quote_into_a_buffer_of_exactly_576_bytes()
    {
        byte[] original = Packets.Ipv4Udp(Sender, "10.2.0.9", 548);
        byte[] buffer = Packets.InBuffer(original, 576);

        int length = IcmpV4Error.Write(buffer, original.Length, IcmpV4ErrorKind.TimeExceeded, 0, Packets.V4(Router));

        Assert.Equal(576, length);
        Assert.Equal(original.AsSpan(0, 548).ToArray(), buffer.AsSpan(28).ToArray());
        Assert.True(InternetChecksum.IsValid(buffer.AsSpan(20)));
    }

    [Fact]
    public void Quotes_only_the_packet_not_the_link_padding_after_it()
    {
        byte[] original = Packets.Ipv4Icmp(Sender, "10.2.0.9", IcmpV4TypeCode.EchoRequest, 0);
        byte[] buffer = Packets.InBuffer(original, 600);

        int length = IcmpV4Error.Write(buffer, original.Length + 18, IcmpV4ErrorKind.HostUnreachable, 0, Packets.V4(Router));

        Assert.Equal(28 + 28, length);
        Assert.Equal(original, buffer.AsSpan(28, 28).ToArray());
        Assert.True(ParseWithPacketDotNet(buffer, length).Icmp.ValidIcmpChecksum);
    }

    [Fact]
    public void Quotes_ip_options_with_the_header()
    {
        byte[] original =
        [
            0x46, 0x00, 0x00, 0x24, 0x00, 0x01, 0x00, 0x00, 0x01, 0x11, 0x00, 0x00,
            10, 1, 0, 5, 10, 2, 0, 9,
            0x01, 0x01, 0x01, 0x00,
            0x9c, 0x40, 0x00, 0x35, 0x00, 0x0c, 0x00, 0x00, 0xca, 0xfe, 0xba, 0xbe,
        ];
        Assert.True(Ipv4Packet.TryParse(original, out var p));
        p.FillHeaderChecksum();
        byte[] buffer = Packets.InBuffer(original, 576);

        int length = IcmpV4Error.Write(buffer, original.Length, IcmpV4ErrorKind.TimeExceeded, 0, Packets.V4(Router));

        Assert.Equal(28 + 36, length);
        Assert.Equal(original, buffer.AsSpan(28, 36).ToArray());
        Assert.True(ParseWithPacketDotNet(buffer, length).Icmp.ValidIcmpChecksum);
    }

    [Fact]
    public void Leaves_the_buffer_alone_when_the_original_is_malformed()
    {
        byte[] original = Packets.Ipv4Udp(Sender, "10.2.0.9", 40);
        original[0] = 0x65;
        byte[] buffer = Packets.InBuffer(original, 600);
        byte[] before = (byte[])buffer.Clone();

        Assert.Equal(0, IcmpV4Error.Write(buffer, original.Length, IcmpV4ErrorKind.TimeExceeded, 0, Packets.V4(Router)));
        Assert.Equal(0, IcmpV4Error.Write(buffer, buffer.Length + 1, IcmpV4ErrorKind.TimeExceeded, 0, Packets.V4(Router)));
        Assert.Equal(before, buffer);
    }

    [Fact]
    public void Leaves_the_buffer_alone_when_it_cannot_hold_header_plus_eight_bytes()
    {
        byte[] original = Packets.Ipv4Udp(Sender, "10.2.0.9", 0);
        byte[] buffer = Packets.InBuffer(original, 28 + 20 + 7);
        byte[] before = (byte[])buffer.Clone();

        Assert.Equal(0, IcmpV4Error.Write(buffer, original.Length, IcmpV4ErrorKind.TimeExceeded, 0, Packets.V4(Router)));
        Assert.Equal(before, buffer);
    }

    [Fact]
    public void Rejects_an_unknown_kind_as_a_programming_error()
    {
        byte[] buffer = Packets.InBuffer(Packets.Ipv4Udp(Sender, "10.2.0.9", 8), 576);

        Assert.Throws<ArgumentOutOfRangeException>(
            () => IcmpV4Error.Write(buffer, 36, (IcmpV4ErrorKind)99, 0, Packets.V4(Router)));
    }
}
