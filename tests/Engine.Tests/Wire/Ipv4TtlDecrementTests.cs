using System.Buffers.Binary;
using Engine.Actors.Wire;
using Xunit;
using PacketDotNet.Utils;
using PdnIPv4 = PacketDotNet.IPv4Packet;

namespace Engine.Tests.Wire;

public class Ipv4TtlDecrementTests
{
    // RFC 3692 experimental protocol number: PacketDotNet leaves the payload unparsed.
    private const byte Experimental = 253;

    private static byte[] RandomHeader(Random random)
    {
        int headerLength = random.Next(5, 16) * 4;
        var bytes = new byte[headerLength + random.Next(0, 64)];
        random.NextBytes(bytes);
        bytes[0] = (byte)(0x40 | headerLength / 4);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), (ushort)bytes.Length);
        bytes[8] = (byte)random.Next(1, 256);
        bytes[9] = Experimental;
        return bytes;
    }

    [Fact]
    public void Incremental_checksum_equals_full_recomputation_over_random_headers()
    {
        var random = new Random(20240601);
        for (int i = 0; i < 5_000; i++)
        {
            byte[] bytes = RandomHeader(random);
            Assert.True(Ipv4Packet.TryParse(bytes, out var p));
            p.FillHeaderChecksum();
            byte ttl = p.Ttl;

            Assert.True(p.DecrementTtl());

            Assert.Equal(ttl - 1, p.Ttl);
            ushort incremental = p.HeaderChecksum;
            p.FillHeaderChecksum();
            Assert.Equal(p.HeaderChecksum, incremental);
            Assert.True(p.VerifyHeaderChecksum());
            var reference = new PdnIPv4(new ByteArraySegment(bytes));
            Assert.True(reference.ValidIPChecksum);
            Assert.Equal(ttl - 1, reference.TimeToLive);
        }
    }

    [Fact]
    public void Decrement_to_a_zero_checksum_gives_zero_not_ffff()
    {
        byte[] bytes = Packets.Ipv4Udp("10.0.0.1", "10.0.0.2", 4, ttl: 2);
        // Pick the identification that makes the header sum to all ones after the decrement,
        // where RFC 1624 eqn. 2 would produce 0xFFFF instead of 0x0000.
        bool found = false;
        for (int id = 0; id <= 0xFFFF && !found; id++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(4), (ushort)id);
            bytes[8] = 1;
            bytes[10] = bytes[11] = 0;
            found = InternetChecksum.Compute(bytes.AsSpan(0, 20)) == 0;
        }
        Assert.True(found);
        bytes[8] = 2;
        Assert.True(Ipv4Packet.TryParse(bytes, out var p));
        p.FillHeaderChecksum();

        Assert.True(p.DecrementTtl());

        Assert.Equal(0, p.HeaderChecksum);
        Assert.True(p.VerifyHeaderChecksum());
    }

    [Fact]
    public void Ttl_zero_is_left_alone()
    {
        byte[] bytes = Packets.Ipv4Udp("10.0.0.1", "10.0.0.2", 4, ttl: 0);
        byte[] before = (byte[])bytes.Clone();
        Assert.True(Ipv4Packet.TryParse(bytes, out var p));

        Assert.False(p.DecrementTtl());

        Assert.Equal(before, bytes);
    }

    [Fact]
    public void Decrement_from_one_reaches_zero_with_a_valid_checksum()
    {
        byte[] bytes = Packets.Ipv4Udp("10.0.0.1", "10.0.0.2", 4, ttl: 1);
        Assert.True(Ipv4Packet.TryParse(bytes, out var p));

        Assert.True(p.DecrementTtl());

        Assert.Equal(0, p.Ttl);
        Assert.True(new PdnIPv4(new ByteArraySegment(bytes)).ValidIPChecksum);
    }
}
