using System.Buffers.Binary;
using Engine.Actors.Wire;
using Xunit;

namespace Engine.Tests.Wire;

public class InternetChecksumTests
{
    /// <summary>The textbook definition, one big-endian word at a time.</summary>
    private static uint ReferenceSum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (int i = 0; i < data.Length; i += 2)
        {
            uint word = (uint)data[i] << 8;
            if (i + 1 < data.Length)
                word |= data[i + 1];
            sum += word;
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return sum;
    }

    [Fact]
    public void Rfc1071_example_sums_to_ddf2()
    {
        byte[] data = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];

        Assert.Equal(0xddf2u, InternetChecksum.Sum(data));
        Assert.Equal((ushort)0x220d, InternetChecksum.Compute(data));
    }

    [Fact]
    public void Odd_trailing_byte_is_the_high_half_of_a_zero_padded_word()
    {
        Assert.Equal(0xAB00u, InternetChecksum.Sum([0xAB]));
        Assert.Equal(0x0102u + 0x0300u, InternetChecksum.Sum([0x01, 0x02, 0x03]));
    }

    [Fact]
    public void Empty_input_sums_to_initial()
    {
        Assert.Equal(0u, InternetChecksum.Sum([]));
        Assert.Equal(0x1234u, InternetChecksum.Sum([], 0x1234));
        Assert.Equal((ushort)0xFFFF, InternetChecksum.Compute([]));
    }

    [Fact]
    public void Sum_matches_reference_for_every_length_and_alignment()
    {
        var random = new Random(1071);
        var backing = new byte[1600];
        for (int length = 0; length <= 300; length++)
        {
            for (int start = 0; start < 8; start++)
            {
                random.NextBytes(backing);
                var data = backing.AsSpan(start, length);
                Assert.Equal(ReferenceSum(data), InternetChecksum.Sum(data));
            }
        }
        random.NextBytes(backing);
        Assert.Equal(ReferenceSum(backing.AsSpan(1, 1599)), InternetChecksum.Sum(backing.AsSpan(1, 1599)));
    }

    [Fact]
    public void All_ones_data_does_not_overflow()
    {
        var data = new byte[65535];
        Array.Fill(data, (byte)0xFF);

        Assert.Equal(ReferenceSum(data), InternetChecksum.Sum(data));
    }

    [Fact]
    public void Chained_sums_equal_the_sum_of_the_concatenation()
    {
        var random = new Random(7);
        var data = new byte[501];
        random.NextBytes(data);

        uint chained = InternetChecksum.Sum(data.AsSpan(0, 20));
        chained = InternetChecksum.Sum(data.AsSpan(20, 300), chained);
        chained = InternetChecksum.Sum(data.AsSpan(320), chained);

        Assert.Equal(ReferenceSum(data), chained);
    }

    [Fact]
    public void IsValid_accepts_data_carrying_its_own_checksum_and_rejects_a_flipped_bit()
    {
        var random = new Random(3);
        var data = new byte[64];
        random.NextBytes(data);
        data[10] = data[11] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(10), InternetChecksum.Compute(data));

        Assert.True(InternetChecksum.IsValid(data));
        data[40] ^= 0x10;
        Assert.False(InternetChecksum.IsValid(data));
    }

    [Fact]
    public void Incremental_update_equals_full_recomputation()
    {
        var random = new Random(1624);
        var data = new byte[20];
        int[] wordOffsets = [2, 4, 6, 8, 12, 14, 16, 18];
        for (int i = 0; i < 20_000; i++)
        {
            random.NextBytes(data);
            data[0] = 0x45; // keeps the data from ever summing to zero, as in a real header
            data[10] = data[11] = 0;
            ushort before = InternetChecksum.Compute(data);
            int word = wordOffsets[random.Next(wordOffsets.Length)];
            ushort oldWord = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(word));
            ushort newWord = (ushort)random.Next(0, 0x10000);
            BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(word), newWord);

            Assert.Equal(InternetChecksum.Compute(data), InternetChecksum.Update(before, oldWord, newWord));
        }
    }

    [Fact]
    public void Ipv4_pseudo_header_validates_a_udp_checksum_made_by_PacketDotNet()
    {
        byte[] bytes = Packets.Ipv4Udp("192.0.2.1", "198.51.100.7", 37);
        var udp = bytes.AsSpan(20);

        uint pseudo = InternetChecksum.PseudoHeaderV4(bytes.AsSpan(12, 4), bytes.AsSpan(16, 4), 17, (ushort)udp.Length);

        Assert.NotEqual((ushort)0, BinaryPrimitives.ReadUInt16BigEndian(udp[6..]));
        Assert.True(InternetChecksum.IsValid(udp, pseudo));
        udp[9] ^= 1;
        Assert.False(InternetChecksum.IsValid(udp, pseudo));
    }

    [Fact]
    public void Ipv6_pseudo_header_validates_a_udp_checksum_made_by_PacketDotNet()
    {
        byte[] bytes = Packets.Ipv6Udp("2001:db8::1", "2001:db8:1::ff", 41);
        var udp = bytes.AsSpan(40);

        uint pseudo = InternetChecksum.PseudoHeaderV6(bytes.AsSpan(8, 16), bytes.AsSpan(24, 16), (uint)udp.Length, 17);

        Assert.True(InternetChecksum.IsValid(udp, pseudo));
        udp[12] ^= 0x80;
        Assert.False(InternetChecksum.IsValid(udp, pseudo));
    }

    [Fact]
    public void Ipv6_pseudo_header_validates_an_icmpv6_checksum_made_by_PacketDotNet()
    {
        byte[] bytes = Packets.Ipv6Icmp("2001:db8::1", "fe80::1", PacketDotNet.IcmpV6Type.EchoRequest, 21);
        var icmp = bytes.AsSpan(40);

        uint pseudo = InternetChecksum.PseudoHeaderV6(bytes.AsSpan(8, 16), bytes.AsSpan(24, 16), (uint)icmp.Length, 58);

        Assert.True(InternetChecksum.IsValid(icmp, pseudo));
        Assert.False(InternetChecksum.IsValid(icmp, InternetChecksum.Add(pseudo, 1)));
    }

    [Fact]
    public void Header_checksum_matches_PacketDotNet()
    {
        byte[] bytes = Packets.Ipv4Udp("10.1.2.3", "10.200.0.9", 100, ttl: 9, id: 0xBEEF);
        var parsed = new PacketDotNet.IPv4Packet(new PacketDotNet.Utils.ByteArraySegment(bytes));
        ushort stored = parsed.Checksum;
        bytes[10] = bytes[11] = 0;

        Assert.Equal(stored, InternetChecksum.Compute(bytes.AsSpan(0, 20)));
    }
}
