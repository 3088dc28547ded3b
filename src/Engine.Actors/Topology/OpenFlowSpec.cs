using System.Collections.Immutable;
using System.Net;

namespace Engine.Actors.Topology;

/// <summary>What the engine does while no OpenFlow controller is connected, as Open vSwitch defines it.</summary>
public enum OpenFlowFailMode
{
    /// <summary>Only the flow table forwards: frames no entry takes are dropped.</summary>
    Secure,
    /// <summary>The lab forwards on its own (wires, switches, routes), as if it had no flow table.</summary>
    Standalone,
}

/// <summary>
/// The lab file's <c>engine.openflow</c>: the engine is an OpenFlow 1.3 switch whose ports are
/// its devices, then its peers, numbered from 1 in the file's order (docs/openflow.md).
/// </summary>
/// <param name="Controllers">The controllers the engine dials, each on its own channel, over TCP or TLS.</param>
/// <param name="DatapathId">The switch's datapath id in FEATURES_REPLY.</param>
/// <param name="EchoInterval">How long a quiet channel waits before it sends an ECHO_REQUEST; three of them without a word from the controller close the channel.</param>
public sealed record OpenFlowSpec(ImmutableArray<OpenFlowEndpoint> Controllers, ulong DatapathId, OpenFlowFailMode FailMode, TimeSpan EchoInterval)
{
    public const int DefaultPort = 6653;
    public const ulong DefaultDatapathId = 1;
    public static readonly TimeSpan DefaultEchoInterval = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan MinEchoInterval = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaxEchoInterval = TimeSpan.FromMinutes(10);

    /// <summary>Echo intervals of silence after which a controller is taken for dead and the channel redials.</summary>
    public const int DeadAfterIntervals = 3;

    public TimeSpan DeadControllerTimeout => EchoInterval * DeadAfterIntervals;

    public const int DefaultPacketInBudgetKib = 256, MinPacketInBudgetKib = 16, MaxPacketInBudgetKib = 2048;

    /// <summary>KiB unsent on a connection past which its PACKET_INs are dropped (<c>packet-in-budget-kib</c>), as Open vSwitch's <c>controller_queue_size</c> bounds its packet-in queue.</summary>
    public int PacketInBudgetKib { get; init; } = DefaultPacketInBudgetKib;

    /// <summary>Where the engine also takes controllers' connections (<c>listen = "ptcp:PORT[:IP]"</c> or <c>"pssl:PORT[:IP]"</c>, as <c>ovs-vsctl set-controller ptcp:</c>); null when it only dials.</summary>
    public OpenFlowEndpoint? Listen { get; init; }

    /// <summary>The switch's key and certificate and the controllers' CA, for <c>ssl:</c> and <c>pssl:</c>; null without a <c>tls</c> block.</summary>
    public OpenFlowTlsSpec? Tls { get; init; }

    public bool Equals(OpenFlowSpec? other) =>
        other is not null && Controllers.SequenceEqual(other.Controllers) && DatapathId == other.DatapathId
        && FailMode == other.FailMode && EchoInterval == other.EchoInterval && Equals(Listen, other.Listen) && Equals(Tls, other.Tls)
        && PacketInBudgetKib == other.PacketInBudgetKib;

    public override int GetHashCode() => HashCode.Combine(Controllers.Length, DatapathId, FailMode, EchoInterval);
}
