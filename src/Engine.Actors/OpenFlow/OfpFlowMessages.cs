namespace Engine.Actors.OpenFlow;

/// <summary>Writes a flow as FLOW stats report it (ofp_flow_stats) and as FLOW_REMOVED announces it (ofp_flow_removed).</summary>
public static class OfpFlowMessages
{
    public const int FlowStatsFixedSize = 48;
    public const byte RemovedByDelete = 2, RemovedWithGroup = 3;

    public static void WriteStats(OfpWriter writer, OpenFlowFlow flow, long nowTicks)
    {
        var start = writer.Position;
        writer.U16(0).U8(flow.TableId).Zeros(1);
        WriteDuration(writer, flow, nowTicks);
        writer.U16(flow.Priority).U16(flow.IdleTimeout).U16(flow.HardTimeout).U16(flow.Flags).Zeros(4)
            .U64(flow.Cookie).U64(flow.Packets).U64(flow.Bytes);
        flow.Match.Write(writer);
        writer.Bytes(flow.Instructions);
        writer.PatchU16(start, (ushort)(writer.Position - start));
    }

    /// <summary>The most a flow's stats entry can take: its match and instructions came in one FLOW_MOD.</summary>
    public static int StatsSize(OpenFlowFlow flow) => FlowStatsFixedSize + 8 + flow.Match.Fields.Sum(f => 4 + 2 * f.Value.Length) + flow.Instructions.Length;

    public static void WriteRemoved(OfpWriter writer, uint xid, OpenFlowFlow flow, byte reason, long nowTicks)
    {
        writer.Begin(OfpType.FlowRemoved, xid);
        writer.U64(flow.Cookie).U16(flow.Priority).U8(reason).U8(flow.TableId);
        WriteDuration(writer, flow, nowTicks);
        writer.U16(flow.IdleTimeout).U16(flow.HardTimeout).U64(flow.Packets).U64(flow.Bytes);
        flow.Match.Write(writer);
        writer.End();
    }

    private static void WriteDuration(OfpWriter writer, OpenFlowFlow flow, long nowTicks)
    {
        var elapsed = Math.Max(0, nowTicks - flow.InstalledTicks);
        writer.U32((uint)(elapsed / 1000)).U32((uint)(elapsed % 1000 * 1_000_000));
    }
}
