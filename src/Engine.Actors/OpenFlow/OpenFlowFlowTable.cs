namespace Engine.Actors.OpenFlow;

/// <summary>
/// The switch's flow tables (0 to <see cref="TableCount"/> - 1), as FLOW_MODs leave them (spec
/// section 6.4): add with the overlap check and replacement of an identical entry, modify and
/// delete, strict or by covering match, filtered by cookie and mask and (delete) by output port
/// and group; entries expire on their idle and hard timeouts. Holds at most <see cref="Capacity"/>
/// entries in all: one more is TABLE_FULL. The group table (<see cref="Groups"/>) is locked with it.
/// </summary>
public sealed class OpenFlowFlowTable(int capacity = OpenFlowFlowTable.DefaultCapacity)
{
    public const int DefaultCapacity = 65536;

    /// <summary>How many tables the pipeline has: goto_table leads from one to a later one.</summary>
    public const int TableCount = 8;

    private readonly List<OpenFlowFlow> _flows = [];

    public int Capacity { get; } = capacity;

    public IReadOnlyList<OpenFlowFlow> Flows => _flows;

    public OpenFlowGroupTable Groups { get; } = new();

    /// <summary>How many lookups and matches the table has seen (TABLE stats); counted by the data plane once it applies the table.</summary>
    public ulong Lookups { get; set; }
    public ulong Matched { get; set; }

    /// <summary>Applies <paramref name="mod"/> at <paramref name="nowTicks"/>; the flows it removed go to <paramref name="removed"/>.</summary>
    public OfpError? Apply(OfpFlowMod mod, long nowTicks, List<OpenFlowFlow> removed)
    {
        if (mod.TableId >= TableCount && !(mod.IsDelete && mod.TableId == OfpFlowMod.AllTables))
            return OfpError.FlowModBadTableId;
        if (!mod.IsDelete && mod.BufferId != OfpPortNumbers.NoBuffer)
            return OfpError.BufferUnknown;
        switch (mod.Command)
        {
            case OfpFlowModCommand.Add:
                return Add(mod, nowTicks);
            case OfpFlowModCommand.Modify or OfpFlowModCommand.ModifyStrict:
                foreach (var flow in _flows)
                {
                    if (!Selects(mod, flow)) continue;
                    flow.Instructions = mod.Instructions;
                    if ((mod.Flags & OpenFlowFlow.ResetCounts) != 0) flow.Hits.Reset();
                }
                return null;
            default:
                _flows.RemoveAll(flow =>
                {
                    if (!Selects(mod, flow) || (mod.OutPort != OfpPortNumbers.Any && !OfpOutputs.SendTo(flow.Instructions, mod.OutPort))
                        || (mod.OutGroup != OfpGroupMod.AnyGroup && !OfpOutputs.UsesGroup(flow.Instructions, mod.OutGroup))) return false;
                    removed.Add(flow);
                    return true;
                });
                return null;
        }
    }

    private OfpError? Add(OfpFlowMod mod, long nowTicks)
    {
        var same = _flows.FindIndex(f => f.TableId == mod.TableId && f.Priority == mod.Priority && f.Match.SameAs(mod.Match));
        if ((mod.Flags & OpenFlowFlow.CheckOverlap) != 0
            && _flows.Exists(f => f.TableId == mod.TableId && f.Priority == mod.Priority && !f.Match.SameAs(mod.Match) && f.Match.Overlaps(mod.Match)))
            return OfpError.Overlap;
        if (same < 0 && _flows.Count >= Capacity)
            return OfpError.TableFull;
        // An identical entry is replaced; its counters carry over unless RESET_COUNTS asks otherwise.
        var keepCounts = same >= 0 && (mod.Flags & OpenFlowFlow.ResetCounts) == 0;
        var flow = new OpenFlowFlow(mod.Match, mod.Priority, mod.Cookie, mod.Instructions, nowTicks)
        {
            TableId = mod.TableId,
            IdleTimeout = mod.IdleTimeout,
            HardTimeout = mod.HardTimeout,
            Flags = mod.Flags,
            Hits = keepCounts ? _flows[same].Hits : new(),
        };
        if (same >= 0) _flows[same] = flow;
        else _flows.Add(flow);
        return null;
    }

    /// <summary>Whether a modify or delete selects <paramref name="flow"/>: the same entry when strict, every covered one otherwise; the cookie under its mask either way.</summary>
    private static bool Selects(OfpFlowMod mod, OpenFlowFlow flow) =>
        (mod.TableId == OfpFlowMod.AllTables || flow.TableId == mod.TableId)
        && (flow.Cookie & mod.CookieMask) == (mod.Cookie & mod.CookieMask)
        && (mod.IsStrict ? flow.Priority == mod.Priority && flow.Match.SameAs(mod.Match) : mod.Match.Covers(flow.Match));

    /// <summary>The flows a FLOW or AGGREGATE stats request selects.</summary>
    public IEnumerable<OpenFlowFlow> Select(byte tableId, OxmMatch match, ulong cookie, ulong cookieMask, uint outPort) =>
        _flows.Where(f => (tableId == OfpFlowMod.AllTables || f.TableId == tableId) && (f.Cookie & cookieMask) == (cookie & cookieMask) && match.Covers(f.Match)
            && (outPort == OfpPortNumbers.Any || OfpOutputs.SendTo(f.Instructions, outPort)));

    /// <summary>Removes the flows that send to one of the groups <paramref name="deleted"/> (spec section 6.5: they go with the group).</summary>
    public void RemoveUsing(List<uint> deleted, List<OpenFlowFlow> removed)
    {
        if (deleted.Count == 0) return;
        _flows.RemoveAll(flow =>
        {
            if (!deleted.Exists(group => OfpOutputs.UsesGroup(flow.Instructions, group))) return false;
            removed.Add(flow);
            return true;
        });
    }

    /// <summary>Removes the flows whose timeouts passed by <paramref name="nowTicks"/>, each with its OFPRR reason.</summary>
    public void Expire(long nowTicks, List<(OpenFlowFlow Flow, byte Reason)> expired)
    {
        _flows.RemoveAll(flow =>
        {
            if (flow.ExpiredAt(nowTicks) is not { } reason) return false;
            expired.Add((flow, reason));
            return true;
        });
    }
}
