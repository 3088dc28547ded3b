using System.Collections.Immutable;

namespace Engine.Actors.Topology;

/// <summary>
/// An L2 switch: member ports (taps, and peer links carrying Ethernet frames) joined past the
/// router, with MAC learning, flooding, a learning limit per port, broadcast/multicast storm
/// control per port and 802.1Q VLANs (access ports and trunks).
/// </summary>
/// <param name="Ageing">How long a learned address stays without a frame from it.</param>
/// <param name="MacLimit">Addresses a port may have learned at once; a new source beyond it is forwarded but not learned.</param>
/// <param name="StormRate">Broadcast and multicast frames a port may bring in per second; the excess is dropped.</param>
public sealed record SwitchSpec(string Name, ImmutableArray<string> Ports, TimeSpan Ageing, int MacLimit, int StormRate)
{
    public static readonly TimeSpan DefaultAgeing = TimeSpan.FromSeconds(300);
    public const int DefaultMacLimit = 1024;
    public const int DefaultStormRate = 1000;

    /// <summary>
    /// The engine's addresses on the switch's segment, at most one per family, each with the
    /// length of the segment's prefix: the switch's router interface, the hosts' gateway. Empty
    /// when the switch has none, and then no route names it.
    /// </summary>
    public ImmutableArray<InterfaceAddress> Gateways { get; init; } = [];

    /// <summary>The VLANs declared besides the default VLAN 1, which is always known.</summary>
    public ImmutableArray<int> Vlans { get; init; } = [];

    /// <summary>Each port's VLAN role, by its place in <see cref="Ports"/>; empty when every port is an access port of VLAN 1.</summary>
    public ImmutableArray<PortVlan> PortVlans { get; init; } = [];

    public PortVlan VlanOf(int member) => PortVlans.IsDefaultOrEmpty ? PortVlan.Default : PortVlans[member];

    public bool Equals(SwitchSpec? other) =>
        other is not null && Name == other.Name && Ports.SequenceEqual(other.Ports)
        && Ageing == other.Ageing && MacLimit == other.MacLimit && StormRate == other.StormRate
        && Gateways.SequenceEqual(other.Gateways)
        && Vlans.SequenceEqual(other.Vlans) && Enumerable.Range(0, Ports.Length).All(m => VlanOf(m).Equals(other.VlanOf(m)));

    public override int GetHashCode() => HashCode.Combine(Name, Ports.Length, Ageing, MacLimit, StormRate);

    public override string ToString() =>
        $"{Name} [{string.Join(", ", Ports.Select((port, m) => port + VlanOf(m)))}]"
        + (Vlans.IsEmpty ? "" : $", vlans {string.Join(',', Vlans)}")
        + $", ageing {DurationText.Format(Ageing)}, mac-limit {MacLimit} per port, storm-rate {StormRate}/s per port"
        + (Gateways.IsEmpty ? "" : $", router interface {string.Join(", ", Gateways)}");
}
