using Engine.Actors.Routing;

namespace Engine.Actors.Fpm;

/// <summary>One change zebra asks of the FIB, decoded from one netlink message.</summary>
public abstract record FpmUpdate;

/// <summary>
/// RTM_NEWROUTE. <see cref="Replace"/> is NLM_F_REPLACE as sent; the table replaces the route under
/// the same key either way, as zebra means it (its older module and its IPv6 routes leave the flag out).
/// </summary>
public sealed record FpmRouteAdd(FpmRoute Route, bool Replace) : FpmUpdate;

/// <summary>RTM_DELROUTE: the route under this table and prefix goes, whatever its paths were.</summary>
public sealed record FpmRouteDelete(FpmRouteKey Key) : FpmUpdate
{
    public FpmRouteDelete(uint table, IpPrefix prefix) : this(new FpmRouteKey(table, prefix)) { }
}

/// <summary>RTM_NEWNEXTHOP: adds or replaces the object with this id.</summary>
public sealed record FpmNextHopAdd(FpmNextHopObject NextHop) : FpmUpdate;

/// <summary>RTM_DELNEXTHOP: zebra sends it once no route uses the object any more.</summary>
public sealed record FpmNextHopDelete(uint Id) : FpmUpdate;
