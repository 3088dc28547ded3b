using System.Buffers.Binary;
using Engine.Actors.Wire;
using Xunit;
using PacketDotNet.Utils;
using PdnIPv6 = PacketDotNet.IPv6Packet;

namespace Engine.Tests.Wire;

public class Ipv6PacketTests
{
    /// <summary>
    /// Traffic class 0xAB, flow label 0x12345, 6 payload bytes, next header 59 (no next
    /// header), hop limit 3, 2001:db8::1 → fe80::aa:bbcc.
    /// </summary>
    private static byte[] HandBuilt()
    {
        var bytes = new byte[46];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, 0x6AB1_2345);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(4), 6);
        bytes[6] = 59;
        bytes[7] = 3;
        bytes[8] = 0x20; bytes[9] = 0x01; bytes[10] = 0x0d; bytes[11] = 0xb8; bytes[23] = 0x01;
        bytes[24] = 0xfe; bytes[25] = 0x80; bytes[36] = 0x00; bytes[37] = 0xaa; bytes[38] = 0xbb; bytes[39] = 0xcc;
        byte[] payload = [1, 2, 3, 4, 5, 6];
        payload.CopyTo(bytes, 40);
        return bytes;
    }

    [Fact]
    public void Reads_every_field_of_a_hand_built_packet()
    {
        byte[] bytes = HandBuilt();

        Assert.True(Ipv6Packet.TryParse(bytes, out var p));
        Assert.Equal(6, p.Version);
        Assert.Equal(0xAB, p.TrafficClass);
        Assert.Equal(0x12345u, p.FlowLabel);
        Assert.Equal(6, p.PayloadLength);
        Assert.Equal(46, p.TotalLength);
        Assert.Equal(IpProtocol.Ipv6NoNext, p.NextHeader);
        Assert.Equal(3, p.HopLimit);
        Assert.Equal(bytes.AsSpan(8, 16).ToArray(), p.Source.ToArray());
        Assert.Equal(bytes.AsSpan(24, 16).ToArray(), p.Destination.ToArray());
        Assert.Equal(Packets.V6("2001:db8::1"), p.SourceAddress);
        Assert.Equal(Packets.V6("fe80::aa:bbcc"), p.DestinationAddress);
        Assert.Equal(new UInt128(0x2001_0db8_0000_0000, 1), p.SourceAddress);
        Assert.Equal([1, 2, 3, 4, 5, 6], p.Payload.ToArray());
        Assert.Equal(40, p.Header.Length);
    }

    [Fact]
    public void Reads_a_udp_packet_built_by_PacketDotNet()
    {
        byte[] bytes = Packets.Ipv6Udp("2001:db8:aaaa::10", "2001:db8:bbbb::20", 77, hopLimit: 12);
        var reference = new PdnIPv6(new ByteArraySegment(bytes));

        Assert.True(Ipv6Packet.TryParse(bytes, out var p));
        Assert.Equal(reference.PayloadLength, p.PayloadLength);
        Assert.Equal(IpProtocol.Udp, p.NextHeader);
        Assert.Equal(reference.HopLimit, p.HopLimit);
        Assert.Equal(reference.SourceAddress.GetAddressBytes(), p.Source.ToArray());
        Assert.Equal(reference.DestinationAddress.GetAddressBytes(), p.Destination.ToArray());
        Assert.Equal(Packets.V6("2001:db8:aaaa::10"), p.SourceAddress);
        Assert.Equal(Packets.V6("2001:db8:bbbb::20"), p.DestinationAddress);
        Assert.Equal(8 + 77, p.Payload.Length);
        Assert.Equal(bytes.AsSpan(40).ToArray(), p.Payload.ToArray());
    }

    [Fact]
    public void Ignores_bytes_after_the_payload()
    {
        byte[] frame = Packets.InBuffer(HandBuilt(), 100);

        Assert.True(Ipv6Packet.TryParse(frame, out var p));
        Assert.Equal(46, p.Bytes.Length);
        Assert.Equal(6, p.Payload.Length);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(39)]
    [InlineData(40)] // header complete, payload missing
    [InlineData(45)]
    public void Rejects_truncated_frames(int length)
    {
        Assert.False(Ipv6Packet.TryParse(HandBuilt().AsSpan(0, length), out _));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(0)]
    [InlineData(7)]
    public void Rejects_other_versions(int version)
    {
        byte[] bytes = HandBuilt();
        bytes[0] = (byte)(version << 4 | bytes[0] & 0x0F);

        Assert.False(Ipv6Packet.TryParse(bytes, out _));
    }

    [Theory]
    [InlineData(7)]
    [InlineData(1000)]
    [InlineData(0xFFFF)]
    public void Rejects_a_payload_length_longer_than_the_frame(int payloadLength)
    {
        byte[] bytes = HandBuilt();
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(4), (ushort)payloadLength);

        Assert.False(Ipv6Packet.TryParse(bytes, out var p));
        Assert.Equal(0, p.Bytes.Length);
    }

    [Fact]
    public void Decrements_the_hop_limit_down_to_zero_and_no_further()
    {
        byte[] bytes = HandBuilt();
        Assert.True(Ipv6Packet.TryParse(bytes, out var p));

        Assert.True(p.DecrementHopLimit());
        Assert.True(p.DecrementHopLimit());
        Assert.True(p.DecrementHopLimit());
        Assert.False(p.DecrementHopLimit());

        Assert.Equal(0, p.HopLimit);
        Assert.Equal(0, bytes[7]);
        Assert.Equal(HandBuilt().AsSpan(8).ToArray(), bytes.AsSpan(8).ToArray());
    }
}
