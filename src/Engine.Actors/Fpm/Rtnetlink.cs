namespace Engine.Actors.Fpm;

/// <summary>
/// The rtnetlink numbers an FPM stream uses (linux/netlink.h, rtnetlink.h, nexthop.h). zebra writes
/// them in its host's byte order; the engine reads little-endian, as every host it runs beside is.
/// </summary>
internal static class Rtnetlink
{
    public const ushort NewRoute = 24;
    public const ushort DelRoute = 25;
    public const ushort NewNextHop = 104;
    public const ushort DelNextHop = 105;

    /// <summary>NLM_F_REPLACE on a NEW message.</summary>
    public const ushort FlagReplace = 0x100;

    public const byte FamilyUnspecified = 0;
    public const byte FamilyInet = 2;
    public const byte FamilyInet6 = 10;

    /// <summary>NLA_F_NESTED and NLA_F_NET_BYTEORDER ride in an attribute type's top bits (FRR sets the first on RTA_MULTIPATH).</summary>
    public const ushort AttributeTypeMask = 0x3fff;

    /// <summary>Route attributes (enum rtattr_type_t).</summary>
    public static class Route
    {
        public const ushort Destination = 1;  // RTA_DST
        public const ushort OutputLink = 4;   // RTA_OIF, u32
        public const ushort Gateway = 5;      // RTA_GATEWAY
        public const ushort Priority = 6;     // RTA_PRIORITY, u32
        public const ushort Multipath = 9;    // RTA_MULTIPATH, rtnexthop entries
        public const ushort Table = 15;       // RTA_TABLE, u32, overrides rtm_table
        public const ushort Via = 18;         // RTA_VIA: u16 family + address (an IPv4 route through an IPv6 next hop)
        public const ushort NextHopId = 30;   // RTA_NH_ID, u32
    }

    /// <summary>Next-hop object attributes (linux/nexthop.h).</summary>
    public static class NextHop
    {
        public const ushort Id = 1;           // NHA_ID, u32
        public const ushort Group = 2;        // NHA_GROUP, struct nexthop_grp[]
        public const ushort Blackhole = 4;    // NHA_BLACKHOLE, flag
        public const ushort OutputLink = 5;   // NHA_OIF, u32
        public const ushort Gateway = 6;      // NHA_GATEWAY

        /// <summary>struct nexthop_grp: u32 id, u8 weight (weight - 1), u8 and u16 reserved.</summary>
        public const int GroupEntrySize = 8;
    }

    /// <summary>Address bytes of a family, or 0 for one the engine does not route.</summary>
    public static int AddressLength(byte family) => family switch
    {
        FamilyInet => 4,
        FamilyInet6 => 16,
        _ => 0,
    };
}
