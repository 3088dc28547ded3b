using Engine.Actors.Routing;

namespace Engine.Actors.Router;

/// <summary>
/// What the router was told: its table, what each port takes
/// unfinished. It lives in the router's Props, outside the actor, so an instance that a restart
/// creates starts from the table in use, not from an empty one. What the router learned on its
/// own (neighbours, packets held for them) is not kept: a new instance learns it again.
/// Touched only by the router, on its thread.
/// </summary>
public sealed class RouterState(RouteSnapshot routes)
{
    /// <summary>The snapshot frames are routed under.</summary>
    public RouteSnapshot Routes { get; set; } = routes;

    public PortOffloadTable Offloads { get; } = new();

    /// <summary>Rules that replace the table's own from now on (the lab's and an OpenFlow switch's flows, <see cref="RulesChanged"/>); unset until one comes.</summary>
    public RulesChanged? Rules { get; set; }

    /// <summary><paramref name="routes"/>, under <see cref="Rules"/> when they were given.</summary>
    public RouteSnapshot UnderRules(RouteSnapshot routes) => Rules is { } rules ? routes.WithRules(rules.Rules) : routes;
}
