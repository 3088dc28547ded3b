namespace Engine.Actors.OpenFlow;

/// <summary>
/// The switch a channel speaks for: its datapath id and ports, numbered from the lab's devices and
/// peers (<see cref="OpenFlowPortSet"/>). The port set is swapped whole by the switch's actor when
/// a reload adds or removes ports, and read by the channels' threads; each reader takes one set
/// (<see cref="PortSet"/>) and works with it. A port's link state is written on the switch's actor
/// thread and read by the channels' (a bool, never torn).
/// </summary>
public sealed class OpenFlowSwitchInfo(ulong datapathId, IEnumerable<OpenFlowPort> ports)
{
    private OpenFlowPortSet _ports = new(ports);

    public ulong DatapathId { get; } = datapathId;

    /// <summary>The ports now: one immutable set, the old or the new across a swap.</summary>
    public OpenFlowPortSet PortSet => Volatile.Read(ref _ports);

    /// <summary>Every port now, by number.</summary>
    public IReadOnlyList<OpenFlowPort> Ports => PortSet.All;

    /// <summary>The moment the switch started, for flow durations and port stats' duration.</summary>
    public long StartedTicks { get; } = Environment.TickCount64;

    /// <summary>Which connection is master, and the last generation id (ROLE_REQUEST).</summary>
    public OfpRoleArbiter Roles { get; } = new();

    public OpenFlowPort? Port(uint number) => PortSet.Find(number);

    /// <summary>Puts <paramref name="ports"/> in the place of the ports, whole; called by the switch's actor alone.</summary>
    public void Replace(OpenFlowPortSet ports) => Volatile.Write(ref _ports, ports);
}
