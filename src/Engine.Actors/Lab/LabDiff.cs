using Engine.Actors.Topology;

namespace Engine.Actors.Lab;

/// <summary>
/// What a reload changes between the running lab and the file read again: which devices, peers,
/// routes, switches and wires were added, removed or changed (a changed one is recreated; an
/// unchanged one is left alone), and which changes cannot be applied to a running lab
/// (<see cref="Refusals"/>, one <c>path: reason</c> each, as <c>engine check</c> words errors).
/// Items are matched by name (a route by its prefix, a wire by its ends) and compared by value, so
/// a device whose address or namespace changed is changed. Pure: nothing here touches the lab.
/// </summary>
public sealed record LabDiff(LabItemChanges Devices, LabItemChanges Peers, LabItemChanges Routes, LabItemChanges Switches, LabItemChanges Wires)
{
    private const string Restart = "cannot change while the lab runs; restart the engine to apply it";

    /// <summary>Changes a running lab cannot take; when there is one, the reload changes nothing.</summary>
    public IReadOnlyList<TopologyError> Refusals { get; init; } = [];

    /// <summary>Nothing to do: the file describes the lab that runs.</summary>
    public bool IsEmpty => Devices.IsEmpty && Peers.IsEmpty && Routes.IsEmpty && Switches.IsEmpty && Wires.IsEmpty;

    public static LabDiff Between(LabTopology running, LabTopology next)
    {
        var diff = new LabDiff(
            LabItemChanges.Between(running.Devices, next.Devices, d => d.Name, (a, b) => a.Equals(b)),
            LabItemChanges.Between(running.Peers, next.Peers, p => p.Name, (a, b) => a.Equals(b)),
            LabItemChanges.Between(running.Routes, next.Routes, r => r.Prefix.ToString(), SameRoute),
            LabItemChanges.Between(running.Switches, next.Switches, s => s.Name, (a, b) => a.Equals(b)),
            LabItemChanges.Between(running.Wires, next.Wires, w => w.ToString(), (a, b) => a.Equals(b)));
        var refusals = new List<TopologyError>();
        RefuseSettings(running.Settings, next.Settings, refusals);
        RefuseSections(running, next, diff, refusals);
        RefusePorts(running, next, diff, refusals);
        return diff with { Refusals = refusals };
    }

    /// <summary>Routes are equal when written alike: prefix, vias (or paths) and backup, which their text holds.</summary>
    private static bool SameRoute(RouteSpec a, RouteSpec b) =>
        a.ToString() == b.ToString() && Equals(a.NextHop, b.NextHop) && Equals(a.BackupNextHop, b.BackupNextHop);

    /// <summary>The engine-wide keys are read once, as the engine starts (threads, sockets, the log).</summary>
    private static void RefuseSettings(EngineSettings running, EngineSettings next, List<TopologyError> refusals)
    {
        void Check(bool same, string key)
        {
            if (!same) refusals.Add(new TopologyError("engine." + key, Restart));
        }
        Check(running.CountersInterval == next.CountersInterval, "counters-interval");
        Check(running.BatchSize == next.BatchSize, "batch-size");
        Check(running.DataplaneNice == next.DataplaneNice, "dataplane-nice");
        Check(running.FloodNice == next.FloodNice, "flood-nice");
        Check(running.LogFile == next.LogFile, "log-file");
        Check(running.LogLevel == next.LogLevel, "log-level");
        Check(running.LogFormat == next.LogFormat, "log-format");
        Check(running.NodeName == next.NodeName, "node-name");
        Check(running.ControlSocket == next.ControlSocket, "control.socket");
        Check(running.ControlGroup == next.ControlGroup, "control.group");
    }

    /// <summary>Sections that run as one piece with the ports they know, or that number the ports: not changed live yet.</summary>
    private static void RefuseSections(LabTopology running, LabTopology next, LabDiff diff, List<TopologyError> refusals)
    {
        if (!Equals(running.Metrics, next.Metrics)) refusals.Add(new TopologyError("engine.metrics", Restart));
        if (!Equals(running.Fpm, next.Fpm)) refusals.Add(new TopologyError("engine.fpm", Restart));
        if (running.ControlPlane != next.ControlPlane) refusals.Add(new TopologyError("engine." + ControlPlaneReader.Key, Restart));
        if (!Equals(running.OpenFlow, next.OpenFlow)) refusals.Add(new TopologyError("engine.openflow", Restart));
        if (!running.Rules.SequenceEqual(next.Rules)) refusals.Add(new TopologyError("engine.rules", Restart));
        if (!diff.Switches.IsEmpty) refusals.Add(new TopologyError("engine.switches", $"switches are not changed live yet ({Describe(diff.Switches)}); restart the engine to apply it"));
        if (!diff.Wires.IsEmpty) refusals.Add(new TopologyError("engine.wires", $"wires are not changed live yet ({Describe(diff.Wires)}); restart the engine to apply it"));
    }

    /// <summary>
    /// A device or peer may come and go when the router alone forwards its frames: not while a
    /// control-plane namespace mirrors every port or an OpenFlow switch numbers them, nor for a
    /// port that a switch or a wire holds.
    /// </summary>
    private static void RefusePorts(LabTopology running, LabTopology next, LabDiff diff, List<TopologyError> refusals)
    {
        if (diff.Devices.IsEmpty && diff.Peers.IsEmpty) return;
        if (running.ControlPlane is not null || running.OpenFlow is not null)
        {
            var holder = running.ControlPlane is not null ? "a control-plane namespace mirrors" : "the OpenFlow switch numbers";
            refusals.Add(new TopologyError(diff.Devices.IsEmpty ? "engine.peers" : "engine.devices",
                $"{holder} every port, so ports are not added, removed or changed live; restart the engine to apply it"));
            return;
        }
        var held = HeldPorts(running).Concat(HeldPorts(next)).ToHashSet(StringComparer.Ordinal);
        foreach (var name in diff.Devices.Touched.Where(held.Contains))
            refusals.Add(new TopologyError(PathOf("devices", next.Devices.Select(d => d.Name), name), HeldReason));
        foreach (var name in diff.Peers.Touched.Where(held.Contains))
            refusals.Add(new TopologyError(PathOf("peers", next.Peers.Select(p => p.Name), name), HeldReason));
    }

    private const string HeldReason = "a switch or a wire holds this port, and switches and wires are not changed live yet; restart the engine to apply it";

    private static IEnumerable<string> HeldPorts(LabTopology lab) =>
        lab.Switches.SelectMany(s => s.Ports)
            .Concat(lab.Devices.Where(d => d.Switch is not null).Select(d => d.Name))
            .Concat(lab.Wires.SelectMany(w => new[] { w.First, w.Second }));

    /// <summary>engine.devices[i] as the new file numbers it; for an item the file no longer has, its name.</summary>
    private static string PathOf(string section, IEnumerable<string> next, string name)
    {
        var index = next.ToList().IndexOf(name);
        return index >= 0 ? $"engine.{section}[{index}]" : $"engine.{section} ({name}, removed)";
    }

    private static string Describe(LabItemChanges changes) =>
        string.Join("; ", new[] { ("added", changes.Added), ("removed", changes.Removed), ("changed", changes.Changed) }
            .Where(c => c.Item2.Count > 0).Select(c => $"{c.Item1} {string.Join(", ", c.Item2)}"));
}
