using System.Net;

namespace Engine.Actors.Routing;

/// <summary>
/// An IPv4 or IPv6 prefix: a network address with no host bits set and a length.
/// Addresses are numbers in host order where the first address byte is the most
/// significant, so 10.0.1.0 is 0x0A000100 and 2001:db8:: is 0x2001_0db8_0000_... .
/// default(IpPrefix) is 0.0.0.0/0.
/// </summary>
/// <remarks>
/// The network is held as two 64-bit words, not a UInt128: UInt128 is 16-byte aligned, which
/// would make the struct 32 bytes instead of 24, and a full table keys a million of them.
/// </remarks>
public readonly record struct IpPrefix : IComparable<IpPrefix>
{
    private readonly ulong _high;
    private readonly ulong _low;
    private readonly byte _length;
    private readonly bool _isIPv6;

    private IpPrefix(UInt128 network, int length, bool isIPv6)
    {
        _high = (ulong)(network >> 64);
        _low = (ulong)network;
        _length = (byte)length;
        _isIPv6 = isIPv6;
    }

    public bool IsIPv6 => _isIPv6;

    private UInt128 Network => new(_high, _low);

    public int Length => _length;

    /// <summary>The network address of an IPv4 prefix. Throws for IPv6.</summary>
    public uint Ipv4Network => IsIPv6
        ? throw new InvalidOperationException($"{this} is an IPv6 prefix")
        : (uint)_low;

    /// <summary>The network address of an IPv6 prefix. Throws for IPv4.</summary>
    public UInt128 Ipv6Network => IsIPv6
        ? Network
        : throw new InvalidOperationException($"{this} is an IPv4 prefix");

    /// <summary>The IPv4 prefix of the given length that contains address (host bits are cleared).</summary>
    public static IpPrefix Ipv4(uint address, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, 32);
        return new IpPrefix(address & Ipv4Mask(length), length, isIPv6: false);
    }

    /// <summary>The IPv6 prefix of the given length that contains address (host bits are cleared).</summary>
    public static IpPrefix Ipv6(UInt128 address, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, 128);
        return new IpPrefix(address & Ipv6Mask(length), length, isIPv6: true);
    }

    /// <summary>The prefix of a validated <see cref="System.Net.IPNetwork"/> (as the topology holds routes).</summary>
    public static IpPrefix From(System.Net.IPNetwork network)
    {
        var bytes = network.BaseAddress.GetAddressBytes();
        return bytes.Length == 4
            ? Ipv4(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes), network.PrefixLength)
            : Ipv6(System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes), network.PrefixLength);
    }

    /// <summary>
    /// Parses "10.0.1.0/24" or "2001:db8::/32". The length is required and host bits must be
    /// clear: a route written with host bits is almost always a typo, so it is rejected with
    /// a suggestion rather than silently truncated.
    /// </summary>
    public static bool TryParse(string? text, out IpPrefix prefix, out string error) =>
        IpPrefixParser.TryParse(text, out prefix, out error);

    public bool Contains(uint address) => !IsIPv6 && (address & Ipv4Mask(_length)) == (uint)_low;

    public bool Contains(UInt128 address) => IsIPv6 && (address & Ipv6Mask(_length)) == Network;

    public bool Equals(IpPrefix other) =>
        _low == other._low && _high == other._high && _length == other._length && _isIPv6 == other._isIPv6;

    /// <summary>Orders as route listings do: IPv4 before IPv6, then by network, then shorter first.</summary>
    public int CompareTo(IpPrefix other)
    {
        var order = _isIPv6.CompareTo(other._isIPv6);
        if (order == 0) order = _high.CompareTo(other._high);
        if (order == 0) order = _low.CompareTo(other._low);
        return order != 0 ? order : _length.CompareTo(other._length);
    }

    // Written out: the generated one goes through EqualityComparer per field, and tables of a
    // million prefixes hash every one of them on each change.
    public override int GetHashCode()
    {
        var mixed = (_high * 0x9E3779B97F4A7C15UL) ^ _low ^ ((ulong)_length << 56) ^ (_isIPv6 ? 1UL << 63 : 0);
        mixed = (mixed ^ (mixed >> 29)) * 0xBF58476D1CE4E5B9UL;
        return (int)(mixed ^ (mixed >> 32));
    }

    /// <summary>Mask with the top <paramref name="length"/> of 32 bits set.</summary>
    internal static uint Ipv4Mask(int length) => length == 0 ? 0u : uint.MaxValue << (32 - length);

    /// <summary>Mask with the top <paramref name="length"/> of 128 bits set.</summary>
    internal static UInt128 Ipv6Mask(int length) => length == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - length);

    /// <summary>Canonical text: dotted quad for IPv4, RFC 5952 for IPv6, then "/length".</summary>
    public override string ToString() => IsIPv6
        ? $"{FormatIpv6(Network)}/{_length}"
        : $"{FormatIpv4((uint)_low)}/{_length}";

    internal static string FormatIpv4(uint address) =>
        $"{address >> 24}.{(address >> 16) & 0xFF}.{(address >> 8) & 0xFF}.{address & 0xFF}";

    internal static string FormatIpv6(UInt128 address)
    {
        Span<byte> bytes = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(bytes, address);
        return new IPAddress(bytes).ToString();
    }

    internal static IpPrefix FromParts(UInt128 network, int length, bool isIPv6) => new(network, length, isIPv6);
}
