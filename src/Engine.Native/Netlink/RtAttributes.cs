namespace Engine.Native.Netlink;

/// <summary>The rtattr type numbers the engine reads or writes (linux/if_link.h, if_addr.h, rtnetlink.h).</summary>
internal static class RtAttributes
{
    /// <summary>struct rtattr: u16 length (header included), u16 type, then the value padded to 4 bytes.</summary>
    public const int HeaderSize = 4;

    public const ushort LinkAddress = 1;     // IFLA_ADDRESS, the link-layer address
    public const ushort LinkName = 3;        // IFLA_IFNAME, NUL-terminated string
    public const ushort LinkMtu = 4;         // IFLA_MTU, u32
    public const ushort LinkNamespaceFd = 28; // IFLA_NET_NS_FD, u32
    public const ushort LinkExtMask = 29;    // IFLA_EXT_MASK, u32

    public const ushort AddressAddress = 1;  // IFA_ADDRESS: the peer on point-to-point links, else the local one
    public const ushort AddressLocal = 2;    // IFA_LOCAL
    public const ushort AddressFlags = 8;    // IFA_FLAGS, u32 (supersedes the u8 in ifaddrmsg)

    public const ushort RouteDestination = 1; // RTA_DST
    public const ushort RouteOutputLink = 4;  // RTA_OIF, u32
    public const ushort RouteGateway = 5;     // RTA_GATEWAY
    public const ushort RouteTable = 15;      // RTA_TABLE, u32
}
