namespace Engine.Actors.Routing;

/// <summary>
/// Where a route came from. The value is its administrative distance: for one prefix, the route of
/// the lowest wins and the others wait behind it, taking over when it goes. The lab file's own
/// plan decides between its connected and static routes first (a static route written for a
/// connected prefix replaces it, as docs/config.md says), so a prefix holds one lab route.
/// </summary>
public enum RouteSource : byte
{
    /// <summary>A routed device's or switch's subnet, through that port.</summary>
    Connected = 0,

    /// <summary>Written in the lab file's engine.routes.</summary>
    Static = 1,

    /// <summary>Added while the engine runs (`engine route add`).</summary>
    Runtime = 2,

    /// <summary>From zebra over FPM.</summary>
    Fpm = 3,
}
