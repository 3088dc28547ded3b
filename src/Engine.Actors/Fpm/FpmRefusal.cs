namespace Engine.Actors.Fpm;

/// <summary>
/// Why a well-framed netlink message was refused: it changes nothing, is counted, and the stream
/// goes on (its framing is intact, so later messages can still be trusted).
/// </summary>
public enum FpmRefusal
{
    /// <summary>A fixed header too short, an attribute that lies about its length, an address of the wrong size, a prefix length past the family's or host bits set.</summary>
    Malformed,

    /// <summary>A family other than IPv4 and IPv6 (group next hops are AF_UNSPEC and are fine).</summary>
    UnsupportedFamily,

    /// <summary>A route type other than unicast, blackhole, unreachable and prohibit (local, broadcast, multicast...).</summary>
    UnsupportedRouteType,

    /// <summary>An RTA_MULTIPATH with no rtnexthop entry in it.</summary>
    EmptyMultipath,

    /// <summary>A unicast route with no gateway, interface, multipath or next-hop id; a next-hop object with no path.</summary>
    NoNextHop,

    /// <summary>A next-hop message without NHA_ID.</summary>
    NoNextHopId,
}
