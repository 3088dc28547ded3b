namespace Engine.Actors.Fpm;

/// <summary>Netlink messages, attributes and rtnexthop entries each start on a 4-byte boundary.</summary>
internal static class NetlinkAlignment
{
    public const int Boundary = 4;

    public static int Align(int length) => (length + Boundary - 1) & ~(Boundary - 1);
}
