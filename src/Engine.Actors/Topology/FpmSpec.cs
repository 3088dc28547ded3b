using System.Collections.Immutable;
using System.Net;

namespace Engine.Actors.Topology;

/// <summary>
/// The FPM server (<c>engine.fpm</c>): where zebra's route feed connects, whom it accepts, and how
/// long the routes it sent outlive its connection.
/// </summary>
/// <param name="Listen">The TCP endpoint; loopback unless written otherwise.</param>
/// <param name="Namespace">The namespace the socket opens in, as written; null for the default (<see cref="NamespaceIn"/>).</param>
/// <param name="Allow">Source prefixes accepted; empty accepts any (the socket is on loopback by default).</param>
/// <param name="Grace">How long FPM routes stay after zebra disconnects before they are withdrawn.</param>
public sealed record FpmSpec(IPEndPoint Listen, string? Namespace, ImmutableArray<IPNetwork> Allow, TimeSpan Grace)
{
    /// <summary>zebra's own default FPM port (FPM_DEFAULT_PORT).</summary>
    public const int DefaultPort = 2620;

    public static readonly IPEndPoint DefaultListen = new(IPAddress.Loopback, DefaultPort);
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MaxGrace = TimeSpan.FromDays(1);

    /// <summary>
    /// Where the socket opens: the namespace written, else the lab's control-plane namespace, where
    /// zebra runs as the lab's router, else the engine's own (null).
    /// </summary>
    public string? NamespaceIn(LabTopology lab) => Namespace ?? lab.ControlPlane?.Namespace;

    public bool Equals(FpmSpec? other) =>
        other is not null && Listen.Equals(other.Listen) && Namespace == other.Namespace && Allow.SequenceEqual(other.Allow) && Grace == other.Grace;

    public override int GetHashCode() => HashCode.Combine(Listen, Namespace, Grace);

    /// <summary>The plan line of <c>engine check</c>, the socket in <paramref name="space"/> (null: the engine's namespace).</summary>
    public string Describe(string? space)
    {
        var text = $"fpm listening on {Listen} " + (space is null ? "in the engine's namespace" : "in " + space);
        if (!Allow.IsEmpty)
            text += ", accepting only " + string.Join(", ", Allow);
        return text + $", routes kept {DurationText.Format(Grace)} after zebra disconnects";
    }
}
