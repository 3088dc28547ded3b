using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Engine.Actors.Peers;

/// <summary>
/// The source prefixes a listening peer accepts, checked against a raw sockaddr without
/// allocating (a flood from a refused source costs no garbage). Empty permits every source.
/// An IPv4-mapped IPv6 source (a dual-stack listener) is checked as the IPv4 address it is.
/// </summary>
internal sealed class AllowList
{
    private const ushort Inet = 2;
    private const ushort Inet6 = 10;

    private readonly (UInt128 Network, int Length, bool IsV6)[] _prefixes;

    public AllowList(IEnumerable<IPNetwork> prefixes)
    {
        _prefixes = prefixes.Select(p =>
        {
            var bytes = new byte[16];
            var v6 = p.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6;
            p.BaseAddress.GetAddressBytes().CopyTo(bytes, 0);
            var value = v6 ? BinaryPrimitives.ReadUInt128BigEndian(bytes) : BinaryPrimitives.ReadUInt32BigEndian(bytes);
            return (value, p.PrefixLength, v6);
        }).ToArray();
    }

    public bool Permits(ReadOnlySpan<byte> sockaddr)
    {
        if (_prefixes.Length == 0) return true;
        if (!TryAddress(sockaddr, out var address, out var isV6)) return false;
        foreach (var (network, length, v6) in _prefixes)
        {
            if (v6 != isV6) continue;
            var bits = v6 ? 128 : 32;
            if (length == 0 || (address ^ network) >> (bits - length) == UInt128.Zero) return true;
        }
        return false;
    }

    private static bool TryAddress(ReadOnlySpan<byte> sockaddr, out UInt128 address, out bool isV6)
    {
        address = UInt128.Zero;
        isV6 = false;
        if (sockaddr.Length < 8) return false;
        var family = BinaryPrimitives.ReadUInt16LittleEndian(sockaddr);
        if (family == Inet)
        {
            address = BinaryPrimitives.ReadUInt32BigEndian(sockaddr[4..]);
            return true;
        }
        if (family != Inet6 || sockaddr.Length < 24) return false;
        address = BinaryPrimitives.ReadUInt128BigEndian(sockaddr.Slice(8, 16));
        if (address >> 32 == 0xFFFF)
        {
            address &= uint.MaxValue; // ::ffff:a.b.c.d
            return true;
        }
        isV6 = true;
        return true;
    }
}
