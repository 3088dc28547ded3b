namespace Engine.Native.Netlink;

/// <summary>rtnetlink message types and the fixed headers that follow nlmsghdr (linux/rtnetlink.h).</summary>
internal static class RtMessages
{
    public const ushort NewLink = 16;
    public const ushort DelLink = 17;
    public const ushort GetLink = 18;
    public const ushort NewAddress = 20;
    public const ushort DelAddress = 21;
    public const ushort NewRoute = 24;
    public const ushort DelRoute = 25;

    /// <summary>struct ifinfomsg: family, pad, type, index, flags, change.</summary>
    public const int IfInfoSize = 16;

    /// <summary>struct ifaddrmsg: family, prefixlen, flags, scope, index.</summary>
    public const int IfAddrSize = 8;

    /// <summary>struct rtmsg: family, dst_len, src_len, tos, table, protocol, scope, type, flags.</summary>
    public const int RtSize = 12;

    public const byte AddressFamilyUnspecified = 0;
    public const byte AddressFamilyInet = 2;
    public const byte AddressFamilyInet6 = 10;

    public const byte TableMain = 254;
    public const byte ProtocolUnspecified = 0;
    public const byte ProtocolStatic = 4;
    public const byte ScopeUniverse = 0;
    public const byte ScopeLink = 253;
    public const byte ScopeHost = 254;
    public const byte ScopeNowhere = 255;
    public const byte TypeUnspecified = 0;
    public const byte TypeUnicast = 1;

    /// <summary>IFA_F_NODAD: skip duplicate address detection so an IPv6 address is usable at once.</summary>
    public const byte AddressNoDad = 0x02;

    /// <summary>RTEXT_FILTER_SKIP_STATS: leave the statistics blocks out of link replies.</summary>
    public const uint ExtFilterSkipStats = 1 << 3;
}
