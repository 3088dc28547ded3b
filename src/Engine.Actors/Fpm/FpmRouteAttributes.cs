using System.Collections.Immutable;

namespace Engine.Actors.Fpm;

/// <summary>
/// Everything of an <see cref="FpmRoute"/> but its key. Routes that say the same share one instance
/// (<see cref="FpmRouteTable"/> interns them): a full table's million routes have a few dozen.
/// </summary>
public sealed record FpmRouteAttributes(FpmRouteType Type, byte Protocol, uint? Metric, ImmutableArray<FpmNextHop> NextHops, uint? NextHopId)
{
    public static FpmRouteAttributes Of(FpmRoute route) => new(route.Type, route.Protocol, route.Metric, route.NextHops, route.NextHopId);

    public FpmRoute For(FpmRouteKey key) => new(key, Type, Protocol, Metric, NextHops, NextHopId);

    public bool Equals(FpmRouteAttributes? other) =>
        other is not null && Type == other.Type && Protocol == other.Protocol && Metric == other.Metric &&
        NextHopId == other.NextHopId && NextHops.AsSpan().SequenceEqual(other.NextHops.AsSpan());

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Type);
        hash.Add(Protocol);
        hash.Add(Metric);
        hash.Add(NextHopId);
        foreach (var hop in NextHops.AsSpan())
            hash.Add(hop);
        return hash.ToHashCode();
    }
}
