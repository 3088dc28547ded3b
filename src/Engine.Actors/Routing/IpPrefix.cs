using System.Net;

namespace Engine.Actors.Routing;

/// <summary>
/// An IPv4 or IPv6 prefix: a network address with no host bits set and a length.
/// Addresses are numbers in host order where the first address byte is the most
/// significant, so 10.0.1.0 is 0x0A000100 and 2001:db8:: is 0x2001_0db8_0000_... .
/// default(IpPrefix) is 0.0.0.0/0.
/// </summary>
public readonly record struct IpPrefix
{
    private readonly UInt128 _network;
    private readonly byte _length;

    private IpPrefix(UInt128 network, int length, bool isIPv6)
    {
        _network = network;
        _length = (byte)length;
        IsIPv6 = isIPv6;
    }

    public bool IsIPv6 { get; }

    public int Length => _length;

    /// <summary>The network address of an IPv4 prefix. Throws for IPv6.</summary>
    public uint Ipv4Network => IsIPv6
        ? throw new InvalidOperationException($"{this} is an IPv6 prefix")
        : (uint)_network;

    /// <summary>The network address of an IPv6 prefix. Throws for IPv4.</summary>
    public UInt128 Ipv6Network => IsIPv6
        ? _network
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

    public bool Contains(uint address) => !IsIPv6 && (address & Ipv4Mask(_length)) == (uint)_network;

    public bool Contains(UInt128 address) => IsIPv6 && (address & Ipv6Mask(_length)) == _network;

    /// <summary>Mask with the top <paramref name="length"/> of 32 bits set.</summary>
    internal static uint Ipv4Mask(int length) => length == 0 ? 0u : uint.MaxValue << (32 - length);

    /// <summary>Mask with the top <paramref name="length"/> of 128 bits set.</summary>
    internal static UInt128 Ipv6Mask(int length) => length == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - length);

    /// <summary>Canonical text: dotted quad for IPv4, RFC 5952 for IPv6, then "/length".</summary>
    public override string ToString() => IsIPv6
        ? $"{FormatIpv6(_network)}/{_length}"
        : $"{FormatIpv4((uint)_network)}/{_length}";

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
