using Akka.Actor;
using Engine.Actors.Buffers;
using Engine.Actors.Devices;
using Engine.Actors.Routing;
using Engine.Actors.Rules;
using Engine.Actors.Topology;

namespace Engine.Actors.Lab;

/// <summary>
/// What the lab actor and its reloads (<see cref="ReloadApplier"/>) share about the lab that runs:
/// the lab as it runs and as its file declares it, its routes and rules as the table holds them,
/// and the actors and pool its ports are started with. Used on the lab actor's thread alone.
/// </summary>
internal sealed class RunningLab(LabTopology lab, LabTopology declared)
{
    /// <summary>The lab as it runs: its peers as the wires and switches adjust them (<see cref="WiredPeers"/>).</summary>
    public LabTopology Lab { get; set; } = lab;

    /// <summary>The lab as its file declares it, which a reload compares the file with.</summary>
    public LabTopology Declared { get; set; } = declared;

    /// <summary>The lab's active connected and static routes as the table holds them.</summary>
    public List<TableRoute> Routes { get; set; } = [];

    public RuleTable? Rules { get; set; }

    public FrameBatchPool? Pool { get; set; }

    public IActorRef? Router { get; set; }

    public IActorRef? RouteBook { get; set; }

    public DeviceContext? Devices { get; set; }

    /// <summary>Ports (devices and peers) that have come up once; a reopen or restart adds nothing.</summary>
    public HashSet<int> PortsUp { get; } = [];

    /// <summary>"lab up" has been said: every device forwards and every peer's socket is open.</summary>
    public bool IsUp { get; set; }
}
