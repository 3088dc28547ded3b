using System.Buffers.Binary;
using Engine.Actors.Wire;
using Xunit;
using PacketDotNet.Utils;
using PdnIPv4 = PacketDotNet.IPv4Packet;

namespace Engine.Tests.Wire;

public class Ipv4PacketTests
{
    /// <summary>
    /// IHL 6 (one 4-byte option), DF and MF set, fragment offset 3 (24 bytes), TTL 5, UDP,
    /// 192.168.0.1 → 10.0.0.2, 8 payload bytes, checksum filled in by the constructor.
    /// </summary>
    private static byte[] HandBuilt()
    {
        byte[] bytes =
        [
            0x46, 0x00, 0x00, 0x20,
            0xab, 0xcd, 0x60, 0x03,
            0x05, 0x11, 0x00, 0x00,
            0xc0, 0xa8, 0x00, 0x01,
            0x0a, 0x00, 0x00, 0x02,
            0x01, 0x01, 0x01, 0x00,
            0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03, 0x04,
        ];
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(10), InternetChecksum.Compute(bytes.AsSpan(0, 24)));
        return bytes;
    }

    [Fact]
    public void Reads_every_field_of_a_hand_built_packet()
    {
        byte[] bytes = HandBuilt();

        Assert.True(Ipv4Packet.TryParse(bytes, out var p));
        Assert.Equal(4, p.Version);
        Assert.Equal(24, p.HeaderLength);
        Assert.Equal(32, p.TotalLength);
        Assert.Equal(0xabcd, p.Identification);
        Assert.True(p.DontFragment);
        Assert.True(p.MoreFragments);
        Assert.Equal(24, p.FragmentOffset);
        Assert.Equal(5, p.Ttl);
        Assert.Equal(IpProtocol.Udp, p.Protocol);
        Assert.Equal(BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(10)), p.HeaderChecksum);
        Assert.Equal([0xc0, 0xa8, 0x00, 0x01], p.Source.ToArray());
        Assert.Equal([0x0a, 0x00, 0x00, 0x02], p.Destination.ToArray());
        Assert.Equal(0xC0A80001u, p.SourceAddress);
        Assert.Equal(0x0A000002u, p.DestinationAddress);
        Assert.Equal([0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03, 0x04], p.Payload.ToArray());
        Assert.Equal(24, p.Header.Length);
        Assert.True(p.VerifyHeaderChecksum());
    }

    [Fact]
    public void Reads_a_udp_packet_built_by_PacketDotNet()
    {
        byte[] bytes = Packets.Ipv4Udp("172.16.5.4", "8.8.4.4", 123, ttl: 33, id: 0x4242);
        var reference = new PdnIPv4(new ByteArraySegment(bytes));

        Assert.True(Ipv4Packet.TryParse(bytes, out var p));
        Assert.Equal(reference.HeaderLength * 4, p.HeaderLength);
        Assert.Equal(reference.TotalLength, p.TotalLength);
        Assert.Equal(reference.Id, p.Identification);
        Assert.Equal(reference.TimeToLive, p.Ttl);
        Assert.Equal((int)reference.Protocol, (int)p.Protocol);
        Assert.Equal(reference.Checksum, p.HeaderChecksum);
        Assert.Equal(reference.SourceAddress.GetAddressBytes(), p.Source.ToArray());
        Assert.Equal(reference.DestinationAddress.GetAddressBytes(), p.Destination.ToArray());
        Assert.Equal(Packets.V4("172.16.5.4"), p.SourceAddress);
        Assert.Equal(Packets.V4("8.8.4.4"), p.DestinationAddress);
        Assert.Equal(8 + 123, p.Payload.Length);
        Assert.Equal(reference.PayloadPacket.Bytes, p.Payload.ToArray());
        Assert.Equal(0, p.FragmentOffset);
        Assert.False(p.MoreFragments);
        Assert.True(p.VerifyHeaderChecksum());
    }

    [Fact]
    public void Reads_an_icmp_packet_built_by_PacketDotNet()
    {
        byte[] bytes = Packets.Ipv4Icmp("10.9.8.7", "10.0.0.1", PacketDotNet.IcmpV4TypeCode.EchoRequest, 56);

        Assert.True(Ipv4Packet.TryParse(bytes, out var p));
        Assert.Equal(IpProtocol.Icmp, p.Protocol);
        Assert.Equal(20 + 8 + 56, p.TotalLength);
        Assert.Equal(8, p.Payload[0]);
        Assert.True(InternetChecksum.IsValid(p.Payload));
        Assert.True(p.VerifyHeaderChecksum());
    }

    [Fact]
    public void Ignores_bytes_after_total_length()
    {
        byte[] frame = Packets.InBuffer(HandBuilt(), 60);

        Assert.True(Ipv4Packet.TryParse(frame, out var p));
        Assert.Equal(32, p.Bytes.Length);
        Assert.Equal(8, p.Payload.Length);
    }

    [Fact]
    public void Accepts_a_header_without_payload()
    {
        byte[] bytes = HandBuilt();
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), 24);

        Assert.True(Ipv4Packet.TryParse(bytes, out var p));
        Assert.Equal(0, p.Payload.Length);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(19)]
    [InlineData(23)] // shorter than IHL × 4
    [InlineData(31)] // shorter than total length
    public void Rejects_truncated_frames(int length)
    {
        Assert.False(Ipv4Packet.TryParse(HandBuilt().AsSpan(0, length), out _));
    }

    [Theory]
    [InlineData(0x06)]
    [InlineData(0x00)]
    [InlineData(0x05)]
    [InlineData(0x0F)]
    public void Rejects_other_versions(byte version)
    {
        byte[] bytes = HandBuilt();
        bytes[0] = (byte)(version << 4 | 6);

        Assert.False(Ipv4Packet.TryParse(bytes, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(9)]  // 36 bytes: more than the 32-byte total length
    [InlineData(15)]
    public void Rejects_bad_header_lengths(int ihl)
    {
        byte[] bytes = Packets.InBuffer(HandBuilt(), 64);
        bytes[0] = (byte)(0x40 | ihl);

        Assert.False(Ipv4Packet.TryParse(bytes, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(20)]
    [InlineData(23)]
    [InlineData(33)]
    [InlineData(0xFFFF)]
    public void Rejects_total_length_outside_header_and_buffer(int totalLength)
    {
        byte[] bytes = HandBuilt();
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), (ushort)totalLength);

        Assert.False(Ipv4Packet.TryParse(bytes, out var p));
        Assert.Equal(0, p.Bytes.Length);
    }

    [Fact]
    public void Fill_and_verify_header_checksum_agree_with_PacketDotNet()
    {
        byte[] bytes = Packets.Ipv4Udp("10.0.0.1", "10.0.0.2", 10);
        Assert.True(Ipv4Packet.TryParse(bytes, out var p));

        bytes[10] ^= 0x5A;
        Assert.False(p.VerifyHeaderChecksum());
        Assert.False(new PdnIPv4(new ByteArraySegment(bytes)).ValidIPChecksum);

        p.FillHeaderChecksum();
        Assert.True(p.VerifyHeaderChecksum());
        Assert.True(new PdnIPv4(new ByteArraySegment(bytes)).ValidIPChecksum);
    }
}
