using Engine.Actors.Rules;

namespace Engine.Actors.OpenFlow;

/// <summary>One entry of the switch's flow table, as FLOW_MOD installed it.</summary>
public sealed class OpenFlowFlow(OxmMatch match, ushort priority, ulong cookie, byte[] instructions, long installedTicks)
{
    public const ushort SendFlowRemoved = 1, CheckOverlap = 2, ResetCounts = 4;

    public OxmMatch Match { get; } = match;
    public ushort Priority { get; } = priority;
    public byte TableId { get; init; }
    public ulong Cookie { get; set; } = cookie;

    /// <summary>The instructions as FLOW_MOD carried them (validated); setting them parses them again into <see cref="Steps"/>.</summary>
    public byte[] Instructions
    {
        get;
        set
        {
            field = value;
            Steps = OfpFlowInstructions.Parse(value);
        }
    } = instructions;

    /// <summary>The instructions taken apart, for the slow path and the rule compiler.</summary>
    public OfpFlowInstructions Steps { get; private set; } = OfpFlowInstructions.Parse(instructions);
    public ushort IdleTimeout { get; init; }
    public ushort HardTimeout { get; init; }
    public ushort Flags { get; init; }
    public long InstalledTicks { get; } = installedTicks;

    /// <summary>What the router counts for the flow's rule; a flow that replaces an identical one takes over its counts.</summary>
    public RuleHits Hits { get; init; } = new();

    public long LastUsedTicks => Math.Max(InstalledTicks, Hits.LastUsedTicks);
    public ulong Packets => (ulong)Hits.Packets;
    public ulong Bytes => (ulong)Hits.Bytes;

    public bool SendsFlowRemoved => (Flags & SendFlowRemoved) != 0;

    /// <summary>The table-miss flow (priority 0, empty match): a frame it takes to the controller is a PACKET_IN of reason NO_MATCH.</summary>
    public bool IsTableMiss => Priority == 0 && Match.Fields.Count == 0;

    /// <summary>Why the flow has expired at <paramref name="nowTicks"/> (0 idle, 1 hard, OFPRR_*), or null.</summary>
    public byte? ExpiredAt(long nowTicks)
    {
        if (HardTimeout != 0 && nowTicks - InstalledTicks >= HardTimeout * 1000L) return 1;
        if (IdleTimeout != 0 && nowTicks - LastUsedTicks >= IdleTimeout * 1000L) return 0;
        return null;
    }
}
