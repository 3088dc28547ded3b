using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Engine.Native.Interop;

namespace Engine.Native.Sockets;

/// <summary>
/// Converts between endpoints and the kernel's sockaddr bytes. .NET's SocketAddress already
/// holds the native layout on Linux, so encoding uses it; decoding reads the few fields the
/// engine needs (an accepted or datagram source is IPv4 or IPv6).
/// </summary>
public static class SocketAddressBytes
{
    public static SocketAddress Encode(EndPoint endpoint) => endpoint.Serialize();

    /// <summary>The IP endpoint in <paramref name="sockaddr"/>, or null for another family.</summary>
    public static IPEndPoint? DecodeIp(ReadOnlySpan<byte> sockaddr)
    {
        if (sockaddr.Length < 2) return null;
        var family = BinaryPrimitives.ReadUInt16LittleEndian(sockaddr);
        if (family == Libc.AF_INET && sockaddr.Length >= 8)
            return new IPEndPoint(new IPAddress(sockaddr.Slice(4, 4)), BinaryPrimitives.ReadUInt16BigEndian(sockaddr[2..]));
        if (family == Libc.AF_INET6 && sockaddr.Length >= 24)
            return new IPEndPoint(new IPAddress(sockaddr.Slice(8, 16)), BinaryPrimitives.ReadUInt16BigEndian(sockaddr[2..]));
        return null;
    }

    /// <summary>Address family of the sockaddr an endpoint encodes to.</summary>
    internal static int FamilyOf(EndPoint endpoint) => endpoint.AddressFamily switch
    {
        AddressFamily.InterNetwork => Libc.AF_INET,
        AddressFamily.InterNetworkV6 => Libc.AF_INET6,
        AddressFamily.Unix => Libc.AF_UNIX,
        var other => throw new ArgumentException($"unsupported address family {other}", nameof(endpoint)),
    };
}
