using System.Net;

namespace Engine.Actors.Topology;

/// <summary>How a route came into the engine's table.</summary>
public enum RouteOrigin
{
    /// <summary>Written in engine.routes.</summary>
    Static,

    /// <summary>A routed device's subnet, or a switch's gateway subnet, through that port.</summary>
    Connected,
}

/// <summary>
/// A route as the engine installs it: a prefix and where it leads (<see cref="Via"/>), with a
/// backup while that is a peer whose link is down. A route whose next hop lies in no connected
/// subnet is inactive: it has no <see cref="Via"/>, <see cref="Inactive"/> says why, and packets
/// to its prefix take the next shorter route, or none (counted <c>no-route</c>).
/// </summary>
/// <param name="Written">The static route this one comes from; null for a connected route.</param>
/// <param name="Replaces">For a static route of a connected prefix: the connected route it takes the place of.</param>
public sealed record PlannedRoute(IPNetwork Prefix, RouteOrigin Origin, RouteHop? Via, RouteHop? Backup, string? Inactive,
    RouteSpec? Written = null, RouteHop? Replaces = null)
{
    public bool IsActive => Via is not null;

    /// <summary>For a route over several next hops (ECMP): those that resolve, <see cref="Via"/> the first; empty otherwise.</summary>
    public IReadOnlyList<RouteHop> Paths { get; init; } = [];

    public override string ToString()
    {
        if (Via is not { } via)
            return $"{Prefix} via {(Written is { Paths.IsEmpty: false } ecmp ? string.Join(", ", ecmp.Paths) : Written?.Via)}: inactive, {Inactive}";
        var text = Paths.Count > 1 ? $"{Prefix} via {string.Join(", ", Paths)} (ECMP)" : $"{Prefix} via {via}";
        if (Written is { Paths.IsEmpty: false } && Inactive is not null)
            text += $" ({Inactive}: left out)";
        if (Backup is { } backup)
            text += $", backup {backup}";
        else if (Written?.Backup is { } unresolved)
            text += $", backup {unresolved} inactive ({Inactive})";
        if (Origin == RouteOrigin.Connected)
            return text + " (connected)";
        if (Replaces is { } connected)
            return text + (connected == via && Backup is null ? " (connected; also a static route)" : $" (static, over the connected route via {connected})");
        return text;
    }
}
