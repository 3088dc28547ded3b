using System.Net;
using System.Net.Sockets;

namespace Engine.Actors.Topology;

/// <summary>
/// Addresses that no one host owns on a link, so a lab cannot give them to a device, a gateway
/// or a peer's socket: the kernel refuses some (ff02::1 on a device, binding a multicast address
/// for TCP), and the rest are built but never work (a host at its subnet's broadcast address).
/// </summary>
internal static class AddressKinds
{
    private static readonly IPNetwork ThisNetwork = IPNetwork.Parse("0.0.0.0/8");
    private static readonly IPNetwork MulticastV4 = IPNetwork.Parse("224.0.0.0/4");
    private static readonly IPNetwork LoopbackV4 = IPNetwork.Parse("127.0.0.0/8");

    /// <summary>What <paramref name="address"/> is when it is not one host's unicast address
    /// ("a multicast address"), or null. Loopback is left to <see cref="IsLoopback"/>: a socket may use it.</summary>
    public static string? NotUnicast(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            return "an IPv4-mapped IPv6 address";
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
            return "the unspecified address";
        if (address.Equals(IPAddress.Broadcast))
            return "the limited broadcast address";
        if (address.IsIPv6Multicast || (address.AddressFamily == AddressFamily.InterNetwork && MulticastV4.Contains(address)))
            return "a multicast address";
        if (address.AddressFamily == AddressFamily.InterNetwork && ThisNetwork.Contains(address))
            return "in 0.0.0.0/8 ('this network', never a destination)";
        return null;
    }

    public static bool IsLoopback(IPAddress address) => IPAddress.IsLoopback(address);

    /// <summary>What <paramref name="address"/> is in <paramref name="subnet"/>'s IPv4 subnet when it
    /// is the network or broadcast address there (subnets of /31 and /32 have neither), or null.</summary>
    public static string? SubnetRole(IPAddress address, InterfaceAddress subnet)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork || subnet.Family != AddressFamily.InterNetwork
            || subnet.PrefixLength > 30 || !subnet.IsInSubnet(address))
            return null;
        var network = subnet.Subnet;
        if (address.Equals(network.BaseAddress))
            return $"the network address of {network}";
        var host = ~0u >> subnet.PrefixLength;
        var broadcast = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(network.BaseAddress.GetAddressBytes()) | host;
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes()) == broadcast
            ? $"the broadcast address of {network}"
            : null;
    }

    /// <summary>What a route's prefix covers when nothing is ever sent out to it, or null.</summary>
    public static string? NeverRouted(IPNetwork prefix)
    {
        if ((prefix.PrefixLength >= 8 && LoopbackV4.Contains(prefix.BaseAddress)) || prefix.BaseAddress.Equals(IPAddress.IPv6Loopback))
            return "loopback, which never leaves a host";
        if (prefix.PrefixLength >= 96 && prefix.BaseAddress.IsIPv4MappedToIPv6)
            return "IPv4-mapped IPv6 space, which never appears on a link";
        return null;
    }
}
