using System.Collections.Immutable;

namespace Engine.Actors.Fpm;

/// <summary>
/// A next-hop object (RTM_NEWNEXTHOP) that routes name by <see cref="FpmRoute.NextHopId"/>: a group
/// of other objects, a blackhole, or one path (a gateway, an interface, or both).
/// </summary>
public sealed record FpmNextHopObject(
    uint Id,
    byte Family,
    byte Protocol,
    FpmAddress? Gateway,
    int IfIndex,
    bool Blackhole,
    ImmutableArray<FpmGroupMember> Group)
{
    public bool IsGroup => !Group.IsDefaultOrEmpty;

    public bool Equals(FpmNextHopObject? other) =>
        other is not null && Id == other.Id && Family == other.Family && Protocol == other.Protocol &&
        Gateway == other.Gateway && IfIndex == other.IfIndex && Blackhole == other.Blackhole &&
        Group.AsSpan().SequenceEqual(other.Group.AsSpan());

    public override int GetHashCode() => HashCode.Combine(Id, Gateway, IfIndex, Blackhole);
}
