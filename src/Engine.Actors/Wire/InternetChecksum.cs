using System.Buffers.Binary;

namespace Engine.Actors.Wire;

/// <summary>
/// The Internet checksum (RFC 1071): the one's complement of the one's complement sum of
/// 16-bit big-endian words. Sums are carried as a folded 16-bit value in a <see cref="uint"/>
/// so partial sums (pseudo-header, header, payload) can be chained with <c>initial</c>.
/// </summary>
public static class InternetChecksum
{
    /// <summary>
    /// Adds <paramref name="data"/> to <paramref name="initial"/> and returns the folded sum
    /// (0..0xFFFF). An odd trailing byte is padded with a zero byte, so only the last span of
    /// a chained computation may have an odd length.
    /// </summary>
    public static uint Sum(ReadOnlySpan<byte> data, uint initial = 0)
    {
        // The one's complement sum does not depend on byte order (RFC 1071 §2(B)): summing
        // little-endian words and swapping the folded result gives the big-endian sum, which
        // lets the loop use plain 64-bit loads on the machines we run on.
        ulong acc = 0;
        while (data.Length >= 32)
        {
            ulong a = BinaryPrimitives.ReadUInt64LittleEndian(data);
            ulong b = BinaryPrimitives.ReadUInt64LittleEndian(data[8..]);
            ulong c = BinaryPrimitives.ReadUInt64LittleEndian(data[16..]);
            ulong d = BinaryPrimitives.ReadUInt64LittleEndian(data[24..]);
            acc += (a & 0xFFFF_FFFF) + (a >> 32) + (b & 0xFFFF_FFFF) + (b >> 32)
                 + (c & 0xFFFF_FFFF) + (c >> 32) + (d & 0xFFFF_FFFF) + (d >> 32);
            data = data[32..];
        }
        while (data.Length >= 8)
        {
            ulong a = BinaryPrimitives.ReadUInt64LittleEndian(data);
            acc += (a & 0xFFFF_FFFF) + (a >> 32);
            data = data[8..];
        }
        if (data.Length >= 4)
        {
            acc += BinaryPrimitives.ReadUInt32LittleEndian(data);
            data = data[4..];
        }
        if (data.Length >= 2)
        {
            acc += BinaryPrimitives.ReadUInt16LittleEndian(data);
            data = data[2..];
        }
        if (data.Length == 1)
        {
            // The lone byte is the high half of a big-endian word, i.e. the low half here.
            acc += data[0];
        }

        uint folded = Fold(acc);
        uint swapped = (uint)BinaryPrimitives.ReverseEndianness((ushort)folded);
        return Fold((ulong)swapped + initial);
    }

    /// <summary>Adds a 16-bit word to a running sum.</summary>
    public static uint Add(uint sum, ushort word) => Fold((ulong)sum + word);

    /// <summary>Turns a running sum into the value stored in a checksum field.</summary>
    public static ushort Finish(uint sum) => (ushort)~Fold(sum);

    /// <summary>The checksum of <paramref name="data"/> alone (checksum field zeroed by the caller).</summary>
    public static ushort Compute(ReadOnlySpan<byte> data) => Finish(Sum(data));

    /// <summary>
    /// True when <paramref name="data"/>, checksum field included, sums to all ones, i.e. the
    /// stored checksum is correct.
    /// </summary>
    public static bool IsValid(ReadOnlySpan<byte> data, uint initial = 0) => Sum(data, initial) == 0xFFFF;

    /// <summary>
    /// The running sum of the IPv4 pseudo-header (RFC 768 / RFC 793): addresses, zero,
    /// protocol, upper-layer length.
    /// </summary>
    public static uint PseudoHeaderV4(ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, byte protocol, ushort length)
    {
        uint sum = Sum(source[..4]);
        sum = Sum(destination[..4], sum);
        sum = Add(sum, protocol);
        return Add(sum, length);
    }

    /// <summary>
    /// The running sum of the IPv6 pseudo-header (RFC 8200 §8.1): addresses, 32-bit
    /// upper-layer length, three zero bytes, next header (58 for ICMPv6).
    /// </summary>
    public static uint PseudoHeaderV6(ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, uint length, byte nextHeader)
    {
        uint sum = Sum(source[..16]);
        sum = Sum(destination[..16], sum);
        sum = Add(sum, (ushort)(length >> 16));
        sum = Add(sum, (ushort)length);
        return Add(sum, nextHeader);
    }

    /// <summary>
    /// Incremental update (RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m')) of a stored checksum after
    /// one 16-bit word changed from <paramref name="oldWord"/> to <paramref name="newWord"/>.
    /// Equation 3 rather than 2 so the result matches a full recomputation (never 0xFFFF
    /// where a recomputation gives 0x0000).
    /// </summary>
    public static ushort Update(ushort checksum, ushort oldWord, ushort newWord)
    {
        ulong sum = (ushort)~checksum + (ulong)(ushort)~oldWord + newWord;
        return (ushort)~Fold(sum);
    }

    private static uint Fold(ulong sum)
    {
        sum = (sum & 0xFFFF_FFFF) + (sum >> 32);
        sum = (sum & 0xFFFF_FFFF) + (sum >> 32);
        sum = (sum & 0xFFFF) + (sum >> 16);
        sum = (sum & 0xFFFF) + (sum >> 16);
        sum = (sum & 0xFFFF) + (sum >> 16);
        return (uint)sum;
    }
}
