using System.Collections.Immutable;

namespace Engine.Actors.Fpm;

/// <summary>
/// A route as zebra announced it: either its paths (<see cref="NextHops"/>) or the id of a next-hop
/// object or group (<see cref="NextHopId"/>), never both; a blackhole, unreachable or prohibit route
/// has neither. <see cref="Metric"/> is RTA_PRIORITY when present (dplane_fpm_nl always says 20).
/// </summary>
public sealed record FpmRoute(
    FpmRouteKey Key,
    FpmRouteType Type,
    byte Protocol,
    uint? Metric,
    ImmutableArray<FpmNextHop> NextHops,
    uint? NextHopId)
{
    public bool Equals(FpmRoute? other) =>
        other is not null && Key == other.Key && Type == other.Type && Protocol == other.Protocol &&
        Metric == other.Metric && NextHopId == other.NextHopId && NextHops.SequenceEqual(other.NextHops);

    public override int GetHashCode() => HashCode.Combine(Key, Type, NextHopId, NextHops.Length);
}
