using System.Collections.Immutable;

namespace Engine.Actors.Fpm;

/// <summary>
/// A route as the FIB forwards it: its next-hop object or group already replaced by the paths it
/// stands for. A unicast entry with no next hops is inactive (its next-hop object is unknown).
/// </summary>
public sealed record FpmFibEntry(FpmRouteKey Key, FpmRouteType Type, ImmutableArray<FpmNextHop> NextHops)
{
    public bool IsActive => Type != FpmRouteType.Unicast || !NextHops.IsEmpty;

    public bool Equals(FpmFibEntry? other) =>
        other is not null && Key == other.Key && Type == other.Type && NextHops.SequenceEqual(other.NextHops);

    public override int GetHashCode() => HashCode.Combine(Key, Type, NextHops.Length);

    public override string ToString() => $"{Key} {Type} [{string.Join("; ", NextHops)}]";
}
