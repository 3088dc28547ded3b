namespace Engine.Actors.OpenFlow;

/// <summary>
/// The switch a channel speaks for: its datapath id and ports, ports 1..N the lab's devices then
/// peers. The port records are shared by the lab's channels; their link state is written on the
/// lab's actor thread and read by the channels' (a bool, never torn).
/// </summary>
public sealed class OpenFlowSwitchInfo(ulong datapathId, IReadOnlyList<OpenFlowPort> ports)
{
    public ulong DatapathId { get; } = datapathId;

    public IReadOnlyList<OpenFlowPort> Ports { get; } = ports;

    /// <summary>The moment the switch started, for flow durations and port stats' duration.</summary>
    public long StartedTicks { get; } = Environment.TickCount64;

    /// <summary>Which connection is master, and the last generation id (ROLE_REQUEST).</summary>
    public OfpRoleArbiter Roles { get; } = new();

    public OpenFlowPort? Port(uint number) => number >= 1 && number <= Ports.Count ? Ports[(int)number - 1] : null;
}
