using Engine.Actors.Routing;
using Engine.Actors.Switching;
using Engine.Actors.Topology;

namespace Engine.Actors.Lab;

/// <summary>
/// What a reload changes between the running lab and the file read again: which devices, peers,
/// routes, switches and wires were added, removed or changed (a changed one is recreated; an
/// unchanged one is left alone), and which changes cannot be applied to a running lab
/// (<see cref="Refusals"/>, one <c>path: reason</c> each, as <c>engine check</c> words errors).
/// Items are matched by name (a route by its prefix, a wire by its ends) and compared by value, so
/// a device whose address or namespace changed is changed, and so is a peer whose wires or switch
/// change how its link carries frames. Pure: nothing here touches the lab.
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
            LabItemChanges.Between(AsRun(running), AsRun(next), p => p.Name, (a, b) => a.Equals(b) && a.CarriesWireTags == b.CarriesWireTags),
            LabItemChanges.Between(running.Routes, next.Routes, r => r.Prefix.ToString(), SameRoute),
            LabItemChanges.Between(running.Switches, next.Switches, s => s.Name, (a, b) => a.Equals(b)),
            LabItemChanges.Between(running.Wires, next.Wires, w => w.ToString(), (a, b) => a.Equals(b)));
        var refusals = new List<TopologyError>();
        RefuseSettings(running.Settings, next.Settings, refusals);
        RefuseSections(running, next, diff, refusals);
        return diff with { Refusals = refusals };
    }

    /// <summary>
    /// The peers as they run: a link whose wires or switch change how it carries frames (its MTU
    /// making room for an Ethernet header, its DATA messages' port field) is recreated; one without
    /// an <c>mtu</c> carries the lab's default.
    /// </summary>
    private static IEnumerable<PeerSpec> AsRun(LabTopology lab)
    {
        int PortIndex(string name) => LabLayout.PortIndexIn(lab, name);
        var mtu = LabLayout.DefaultPeerMtu(lab);
        return WiredPeers.Adjust(lab, WirePlan.Build(lab, PortIndex), mtu, SwitchPlan.Build(lab, PortIndex)).Select(p => p with { Mtu = p.Mtu ?? mtu });
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
        Check(running.DataplaneRealtime == next.DataplaneRealtime, "dataplane-realtime");
        Check(running.LogFile == next.LogFile, "log-file");
        Check(running.LogLevel == next.LogLevel, "log-level");
        Check(running.LogFormat == next.LogFormat, "log-format");
        Check(running.NodeName == next.NodeName, "node-name");
        Check(running.ControlSocket == next.ControlSocket, "control.socket");
        Check(running.ControlGroup == next.ControlGroup, "control.group");
    }

    /// <summary>Sections that run as one piece with the ports they know: not changed live yet.</summary>
    private static void RefuseSections(LabTopology running, LabTopology next, LabDiff diff, List<TopologyError> refusals)
    {
        if (!Equals(running.Metrics, next.Metrics)) refusals.Add(new TopologyError("engine.metrics", Restart));
        if (!Equals(running.Fpm, next.Fpm)) refusals.Add(new TopologyError("engine.fpm", Restart));
        if (running.ControlPlane != next.ControlPlane) refusals.Add(new TopologyError("engine." + ControlPlaneReader.Key, Restart));
        if (!Equals(running.OpenFlow, next.OpenFlow)) refusals.Add(new TopologyError("engine.openflow", Restart));
        if (!running.Rules.SequenceEqual(next.Rules)) refusals.Add(new TopologyError("engine.rules", Restart));
    }
}
