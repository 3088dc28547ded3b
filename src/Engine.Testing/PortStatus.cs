namespace Engine.Testing;

/// <summary>
/// One port in <see cref="LabStatus"/>: what it is, its state, what the engine read from it
/// (<see cref="Rx"/>) and wrote to it (<see cref="Tx"/>), and its drops by reason (docs/design.md,
/// "Drop reasons"; only reasons with a count). A peer's fields are null for a device.
/// </summary>
public sealed record PortStatus(
    string Name,
    string Kind,
    string State,
    string? Namespace,
    int Mtu,
    IReadOnlyList<string> Offloads,
    PacketCounters Rx,
    PacketCounters Tx,
    IReadOnlyDictionary<string, long> Drops,
    string? Role = null,
    string? Transport = null,
    string? Framing = null,
    string? Listen = null,
    string? Remote = null,
    long? LastHeardMs = null)
{
    /// <summary>The frames dropped for <paramref name="reason"/> (a label such as "no-route"), 0 when none were.</summary>
    public long Dropped(string reason) => Drops.GetValueOrDefault(reason);
}

/// <summary>Packets and bytes one way through a port.</summary>
public sealed record PacketCounters(long Packets, long Bytes);
