using System.Buffers.Binary;
using Engine.Actors.Wire;
using Xunit;
using PacketDotNet;
using PacketDotNet.Utils;

namespace Engine.Tests.Wire;

public class IcmpV6ErrorTests
{
    private const string Router = "2001:db8:ffff::1";
    private const string Sender = "2001:db8:1::5";

    private static (IPv6Packet Ip, IcmpV6Packet Icmp) ParseWithPacketDotNet(byte[] buffer, int length)
    {
        // A copy of exactly the packet: PacketDotNet 1.4.8 checksums ICMPv6 to the end of the
        // backing array, not the end of the segment.
        var ip = new IPv6Packet(new ByteArraySegment(buffer.AsSpan(0, length).ToArray()));
        return (ip, Assert.IsType<IcmpV6Packet>(ip.PayloadPacket));
    }

    private static bool OwnChecksumValid(byte[] buffer, int length)
    {
        uint pseudo = InternetChecksum.PseudoHeaderV6(buffer.AsSpan(8, 16), buffer.AsSpan(24, 16), (uint)(length - 40), 58);
        return InternetChecksum.IsValid(buffer.AsSpan(40, length - 40), pseudo);
    }

    [Theory]
    [InlineData(IcmpV6ErrorKind.TimeExceeded, IcmpV6Type.TimeExceeded, 0)]
    [InlineData(IcmpV6ErrorKind.NoRoute, IcmpV6Type.DestinationUnreachable, 0)]
    [InlineData(IcmpV6ErrorKind.AddressUnreachable, IcmpV6Type.DestinationUnreachable, 3)]
    [InlineData(IcmpV6ErrorKind.PacketTooBig, IcmpV6Type.PacketTooBig, 0)]
    public void Builds_a_valid_error_that_quotes_the_original(IcmpV6ErrorKind kind, IcmpV6Type type, byte code)
    {
        byte[] original = Packets.Ipv6Udp(Sender, "2001:db8:2::9", 200, hopLimit: 1);
        byte[] buffer = Packets.InBuffer(original, 1500);

        int length = IcmpV6Error.Write(buffer, original.Length, kind, 1400, Packets.V6(Router));

        Assert.Equal(40 + 8 + original.Length, length);
        var (ip, icmp) = ParseWithPacketDotNet(buffer, length);
        Assert.Equal(IPVersion.IPv6, ip.Version);
        Assert.Equal(length - 40, ip.PayloadLength);
        Assert.Equal(64, ip.HopLimit);
        Assert.Equal(ProtocolType.IcmpV6, ip.NextHeader);
        Assert.Equal(0, ip.TrafficClass);
        Assert.Equal(0, ip.FlowLabel);
        Assert.Equal(System.Net.IPAddress.Parse(Router), ip.SourceAddress);
        Assert.Equal(System.Net.IPAddress.Parse(Sender), ip.DestinationAddress);
        Assert.Equal(type, icmp.Type);
        Assert.Equal(code, icmp.Code);
        Assert.True(icmp.ValidIcmpChecksum);
        Assert.True(OwnChecksumValid(buffer, length));
        Assert.Equal(original, buffer.AsSpan(48, length - 48).ToArray());

        uint expectedMtu = kind == IcmpV6ErrorKind.PacketTooBig ? 1400u : 0u;
        Assert.Equal(expectedMtu, BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(44)));

        Assert.True(Ipv6Packet.TryParse(buffer.AsSpan(0, length), out var own));
        Assert.Equal(Packets.V6(Router), own.SourceAddress);
        Assert.Equal(Packets.V6(Sender), own.DestinationAddress);
    }

    [Fact]
    public void Quotes_at_most_what_fits_in_1280_bytes()
    {
        byte[] original = Packets.Ipv6Udp(Sender, "2001:db8:2::9", 1452);
        byte[] buffer = Packets.InBuffer(original, 2048);

        int length = IcmpV6Error.Write(buffer, original.Length, IcmpV6ErrorKind.PacketTooBig, 1280, Packets.V6(Router));

        Assert.Equal(1280, length);
        Assert.Equal(original.AsSpan(0, 1232).ToArray(), buffer.AsSpan(48, 1232).ToArray());
        Assert.Equal(1280u, BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(44)));
        Assert.True(ParseWithPacketDotNet(buffer, length).Icmp.ValidIcmpChecksum);
        Assert.True(OwnChecksumValid(buffer, length));

        buffer[1279] ^= 0x01; // both checkers must notice the last quoted byte changing
        Assert.False(ParseWithPacketDotNet(buffer, length).Icmp.ValidIcmpChecksum);
        Assert.False(OwnChecksumValid(buffer, length));
    }

    [Fact]
    public void Fits_the_quote_into_a_buffer_of_exactly_1280_bytes()
    {
        byte[] original = Packets.Ipv6Udp(Sender, "2001:db8:2::9", 1232);
        byte[] buffer = Packets.InBuffer(original, 1280);

        int length = IcmpV6Error.Write(buffer, original.Length, IcmpV6ErrorKind.NoRoute, 0, Packets.V6(Router));

        Assert.Equal(1280, length);
        Assert.Equal(original.AsSpan(0, 1232).ToArray(), buffer.AsSpan(48).ToArray());
        Assert.True(OwnChecksumValid(buffer, length));
    }

    [Fact]
    public void Quotes_only_the_packet_not_the_link_padding_after_it()
    {
        byte[] original = Packets.Ipv6Udp(Sender, "2001:db8:2::9", 3);
        byte[] buffer = Packets.InBuffer(original, 1280);

        int length = IcmpV6Error.Write(buffer, original.Length + 13, IcmpV6ErrorKind.AddressUnreachable, 0, Packets.V6(Router));

        Assert.Equal(48 + original.Length, length);
        Assert.Equal(original, buffer.AsSpan(48, original.Length).ToArray());
        Assert.True(ParseWithPacketDotNet(buffer, length).Icmp.ValidIcmpChecksum);
    }

    [Fact]
    public void Leaves_the_buffer_alone_when_the_original_is_malformed()
    {
        byte[] original = Packets.Ipv6Udp(Sender, "2001:db8:2::9", 30);
        BinaryPrimitives.WriteUInt16BigEndian(original.AsSpan(4), 1000);
        byte[] buffer = Packets.InBuffer(original, 1280);
        byte[] before = (byte[])buffer.Clone();

        Assert.Equal(0, IcmpV6Error.Write(buffer, original.Length, IcmpV6ErrorKind.TimeExceeded, 0, Packets.V6(Router)));
        Assert.Equal(0, IcmpV6Error.Write(buffer, -1, IcmpV6ErrorKind.TimeExceeded, 0, Packets.V6(Router)));
        Assert.Equal(before, buffer);
    }

    [Fact]
    public void Leaves_the_buffer_alone_when_it_cannot_hold_the_original_header()
    {
        byte[] original = Packets.Ipv6Udp(Sender, "2001:db8:2::9", 30);
        byte[] buffer = Packets.InBuffer(original, 48 + 39);
        byte[] before = (byte[])buffer.Clone();

        Assert.Equal(0, IcmpV6Error.Write(buffer, original.Length, IcmpV6ErrorKind.TimeExceeded, 0, Packets.V6(Router)));
        Assert.Equal(before, buffer);
    }

    [Fact]
    public void Rejects_an_unknown_kind_as_a_programming_error()
    {
        byte[] buffer = Packets.InBuffer(Packets.Ipv6Udp(Sender, "2001:db8:2::9", 8), 1280);

        Assert.Throws<ArgumentOutOfRangeException>(
            () => IcmpV6Error.Write(buffer, 56, (IcmpV6ErrorKind)99, 0, Packets.V6(Router)));
    }
}
