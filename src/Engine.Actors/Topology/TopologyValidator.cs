using System.Collections.Immutable;

namespace Engine.Actors.Topology;

/// <summary>
/// The schema of the <c>engine</c> section, applied to an already-parsed tree: every rule runs and
/// every problem is collected, then a <see cref="LabTopology"/> is built only if there were none.
/// </summary>
internal static class TopologyValidator
{
    private static readonly string[] EngineKeys = ["counters-interval", "batch-size", "dataplane-nice", "flood-nice", "dataplane-realtime", "busy-poll", "log-file", "log-level", "log-format", "node-name", "control", "devices", "routes", "peers", "wires", "switches", "rules", ControlPlaneReader.Key, "fpm", "metrics", "openflow"];

    /// <param name="engine">The value of the top-level <c>engine</c> key, or null when absent.</param>
    /// <param name="kernel">Link names that already exist, or null to check the file alone.</param>
    public static LabTopology? Validate(HoconNode? engine, ErrorList errors, ILinkNames? kernel = null)
    {
        if (engine is null or HoconNull)
        {
            errors.Add("engine", "required");
            return null;
        }
        if (ObjectReader.AsObject(engine, errors) is not { } section)
            return null;

        var reader = new ObjectReader(section, errors, EngineKeys);
        var settings = SettingsReader.Read(reader, errors);
        var devices = DeviceListReader.Read(reader, errors, kernel);
        var peers = PeerListReader.Read(reader, devices, errors);
        var (wires, wiredAt) = WireListReader.Read(reader, devices, peers, errors);
        var (switches, switchedAt) = SwitchListReader.Read(reader, devices, peers, wiredAt, errors);
        var routes = RouteListReader.Read(reader, RouteTargets(devices, peers, switches), Unroutable(wiredAt, switchedAt, switches), errors);
        var rules = RuleListReader.Read(reader, devices, peers, errors);
        var fpm = FpmSpecReader.Read(reader, errors);
        var metrics = MetricsSpecReader.Read(reader, errors);
        var controlPlane = ControlPlaneReader.Read(reader, devices, peers, errors);
        var openFlow = OpenFlowReader.Read(reader, errors);
        if (errors.Count > 0)
            return null;

        var deviceSpecs = ImmutableArray.CreateBuilder<DeviceSpec>(devices.Count);
        foreach (var device in devices)
            deviceSpecs.Add(device.Spec ?? throw new InvalidOperationException($"{device.Path} has no errors but no spec"));
        var peerSpecs = ImmutableArray.CreateBuilder<PeerSpec>(peers.Count);
        foreach (var peer in peers)
            peerSpecs.Add(peer.Spec ?? throw new InvalidOperationException($"{peer.Path} has no errors but no spec"));
        var lab = new LabTopology(settings, deviceSpecs.MoveToImmutable(), [.. routes])
        {
            Peers = peerSpecs.MoveToImmutable(), Wires = [.. wires], Switches = [.. switches], Rules = [.. rules], ControlPlane = controlPlane, Fpm = fpm, Metrics = metrics, OpenFlow = openFlow,
        };
        ControlPlaneReader.CheckMirrorNames(lab, reader.PathOf(ControlPlaneReader.Key), errors);
        return errors.Count > 0 ? null : lab;
    }

    /// <summary>Wired and switched ports, and switches without a router interface, each with why no route may name it.</summary>
    private static Dictionary<string, string> Unroutable(IReadOnlyDictionary<string, string> wiredAt, IReadOnlyDictionary<string, string> switchedAt,
        IReadOnlyList<SwitchSpec> switches)
    {
        var unroutable = new Dictionary<string, string>(switchedAt, StringComparer.Ordinal);
        foreach (var (port, wire) in wiredAt)
            unroutable[port] = $"is wired ({wire}): a wired port takes part in no routing";
        foreach (var l2 in switches)
            if (l2.Gateways.IsEmpty)
                unroutable[l2.Name] = "is a switch without a gateway: a route through a switch needs its router interface (gateway = [\"ADDR/LEN\"])";
        return unroutable;
    }

    /// <summary>What routes may name: devices and peers, as written, and switches.</summary>
    private static HashSet<string> RouteTargets(IReadOnlyList<DeviceEntry> devices, IReadOnlyList<PeerEntry> peers, IReadOnlyList<SwitchSpec> switches)
    {
        var names = new HashSet<string>(switches.Select(s => s.Name), StringComparer.Ordinal);
        foreach (var device in devices)
            if (device.WrittenName is { } name)
                names.Add(name);
        foreach (var peer in peers)
            if (peer.WrittenName is { } name)
                names.Add(name);
        return names;
    }
}
