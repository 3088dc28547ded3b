using System.Net;
using System.Net.Sockets;

namespace Engine.Actors.Lab;

/// <summary>A port's own address of each family, from its <c>gateway</c> list, as the router holds addresses (big-endian numbers, 0 for none).</summary>
internal static class GatewayAddresses
{
    public static uint V4(IEnumerable<IPAddress> gateways)
    {
        var gateway = gateways.FirstOrDefault(g => g.AddressFamily == AddressFamily.InterNetwork);
        return gateway is null ? 0 : System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(gateway.GetAddressBytes());
    }

    public static UInt128 V6(IEnumerable<IPAddress> gateways)
    {
        var gateway = gateways.FirstOrDefault(g => g.AddressFamily == AddressFamily.InterNetworkV6);
        return gateway is null ? UInt128.Zero : System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(gateway.GetAddressBytes());
    }
}
