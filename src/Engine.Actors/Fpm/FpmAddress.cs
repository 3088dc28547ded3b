using System.Buffers.Binary;
using Engine.Actors.Routing;

namespace Engine.Actors.Fpm;

/// <summary>
/// A next hop's IPv4 or IPv6 address as a number whose first address byte is the most significant
/// (as <see cref="IpPrefix"/> holds networks), so it compares and hashes without allocating.
/// </summary>
public readonly record struct FpmAddress(UInt128 Value, bool IsIPv6)
{
    /// <summary>The address in 4 or 16 network-order bytes; false for any other length.</summary>
    public static bool TryRead(ReadOnlySpan<byte> bytes, out FpmAddress address)
    {
        address = bytes.Length switch
        {
            4 => new FpmAddress(BinaryPrimitives.ReadUInt32BigEndian(bytes), IsIPv6: false),
            16 => new FpmAddress(BinaryPrimitives.ReadUInt128BigEndian(bytes), IsIPv6: true),
            _ => default,
        };
        return bytes.Length is 4 or 16;
    }

    public override string ToString() => IsIPv6 ? IpPrefix.FormatIpv6(Value) : IpPrefix.FormatIpv4((uint)Value);
}
