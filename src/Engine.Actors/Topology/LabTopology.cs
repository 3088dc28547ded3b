using System.Collections.Immutable;

namespace Engine.Actors.Topology;

/// <summary>
/// A validated lab: engine settings, devices, socket peers, wires, switches and static routes. Every route's
/// <c>via</c> and <c>backup</c> name a device or peer here that no wire or switch names, device and peer names are unique
/// together, and no two devices in one namespace have overlapping subnets. Build it with
/// <see cref="TopologyParser"/>.
/// </summary>
public sealed record LabTopology(EngineSettings Settings, ImmutableArray<DeviceSpec> Devices, ImmutableArray<RouteSpec> Routes)
{
    /// <summary>The namespaces the devices go into, each once, in the order devices name them, then the control plane's.</summary>
    public IEnumerable<string> Namespaces
    {
        get
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var device in Devices)
                if (device.Namespace is { } name && seen.Add(name))
                    yield return name;
            if (ControlPlane is { } plane && seen.Add(plane.Namespace))
                yield return plane.Namespace;
        }
    }

    /// <summary>The socket links, in the order the file declares them; each is a port after the devices.</summary>
    public ImmutableArray<PeerSpec> Peers { get; init; } = [];

    /// <summary>The wires, in the order the file declares them: pairs of ports joined past the router.</summary>
    public ImmutableArray<WireSpec> Wires { get; init; } = [];

    /// <summary>The L2 switches, in the order the file declares them; no port is both wired and switched.</summary>
    public ImmutableArray<SwitchSpec> Switches { get; init; } = [];

    /// <summary>The rule table's entries, in the order the file declares them (each one's id is its position).</summary>
    public ImmutableArray<RuleSpec> Rules { get; init; } = [];

    /// <summary>The FPM server zebra feeds routes through; null when the lab has none.</summary>
    public FpmSpec? Fpm { get; init; }

    /// <summary>The Prometheus endpoint; null when the lab serves none.</summary>
    public MetricsSpec? Metrics { get; init; }

    /// <summary>The control-plane namespace, whose interfaces mirror the routed ports; null when the lab has none.</summary>
    public ControlPlaneSpec? ControlPlane { get; init; }

    /// <summary>The OpenFlow switch the lab is, when the file has <c>openflow</c>; null otherwise.</summary>
    public OpenFlowSpec? OpenFlow { get; init; }

    /// <summary>
    /// The OpenFlow port numbers: the devices from 1 in file order, then the peers. A port's
    /// number is its index in the engine's port list plus one.
    /// </summary>
    public IEnumerable<(int Number, string Name)> OpenFlowPorts =>
        Devices.Select(d => d.Name).Concat(Peers.Select(p => p.Name)).Select((name, i) => (i + 1, name));

    /// <summary>What the engine would build, one step per line, for <c>engine check</c>.</summary>
    public string Describe() => TopologyDescription.Describe(this);

    public bool Equals(LabTopology? other) =>
        other is not null
        && Settings == other.Settings
        && Devices.SequenceEqual(other.Devices)
        && Routes.SequenceEqual(other.Routes)
        && Peers.SequenceEqual(other.Peers)
        && Wires.SequenceEqual(other.Wires)
        && Switches.SequenceEqual(other.Switches)
        && Rules.SequenceEqual(other.Rules)
        && Equals(Fpm, other.Fpm)
        && Equals(Metrics, other.Metrics)
        && ControlPlane == other.ControlPlane
        && Equals(OpenFlow, other.OpenFlow);

    public override int GetHashCode() => HashCode.Combine(Settings, Devices.Length, Routes.Length);
}
