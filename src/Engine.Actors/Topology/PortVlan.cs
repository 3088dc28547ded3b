using System.Collections.Immutable;

namespace Engine.Actors.Topology;

/// <summary>
/// A switch port's 802.1Q role: an access port of <paramref name="Vlan"/> (its frames untagged),
/// or, when <paramref name="Trunk"/> is not empty, a trunk carrying those VLANs tagged and its
/// <paramref name="Native"/> VLAN (0: none) untagged.
/// </summary>
public sealed record PortVlan(int Vlan, ImmutableArray<int> Trunk, int Native)
{
    /// <summary>A bare port name: an access port of the default VLAN.</summary>
    public static readonly PortVlan Default = Access(1);

    public static PortVlan Access(int vlan) => new(vlan, [], 0);

    public static PortVlan TrunkOf(ImmutableArray<int> allowed, int native) => new(0, allowed, native);

    public bool IsTrunk => !Trunk.IsDefaultOrEmpty;

    public bool Equals(PortVlan? other) =>
        other is not null && Vlan == other.Vlan && Native == other.Native
        && (Trunk.IsDefaultOrEmpty ? other.Trunk.IsDefaultOrEmpty : !other.Trunk.IsDefault && Trunk.SequenceEqual(other.Trunk));

    public override int GetHashCode() => HashCode.Combine(Vlan, Native, Trunk.IsDefault ? 0 : Trunk.Length);

    /// <summary>As the plan shows it after the port's name: nothing for the default VLAN.</summary>
    public override string ToString() =>
        IsTrunk ? $" trunk {string.Join(',', Trunk)}" + (Native == 0 ? "" : $" native {Native}")
        : Vlan == Default.Vlan ? "" : $" vlan {Vlan}";
}
