using Engine.Actors.Counters;
using Engine.Actors.Routing;
using Engine.Actors.Rules;

namespace Engine.Actors.OpenFlow;

/// <summary>
/// The slow path of the flow tables (spec section 5.1): a frame whose table-0 flow the router
/// could not carry comes here with that flow, and goes through its instructions in the spec's
/// order: apply-actions on the frame, clear-actions and write-actions on its action set
/// (<see cref="OfpActionSet"/>), goto_table to a later table, where the frame, as the actions so
/// far left it, is looked up again; at the end the action set runs. Each later table is a rule
/// table of its own (the classifier the router uses for table 0: a lookup allocates nothing); a
/// miss there drops the frame, counted <c>rule</c>, as one with no output at all is. Each flow's
/// instructions were taken apart when it was installed (<see cref="OpenFlowFlow.Steps"/>), so a
/// frame allocates nothing here but what its actions make (a pushed VLAN tag, a PACKET_IN).
/// </summary>
internal sealed class OpenFlowPipeline(OpenFlowPacketOut packetOut, OpenFlowSwitchInfo info)
{
    private readonly OfpActionSet _actionSet = new();
    private OpenFlowFlow[] _flows = [];
    private RuleTable?[] _tables = [];

    /// <summary>Takes the flows as compiled (flow i is rule <see cref="OpenFlowRuleCompiler.FirstId"/> + i) and builds the tables after 0.</summary>
    public void Load(OpenFlowFlow[] flows, int slowPath)
    {
        _flows = flows;
        _tables = new RuleTable?[OpenFlowFlowTable.TableCount];
        var openFlowPorts = info.PortSet;
        for (var table = 1; table < _tables.Length; table++)
        {
            var rules = new List<Rule>();
            for (var i = 0; i < flows.Length; i++)
                if (flows[i].TableId == table && OpenFlowRuleCompiler.Match(flows[i].Match, openFlowPorts) is { } match)
                    rules.Add(new Rule(OpenFlowRuleCompiler.FirstId + i, flows[i].Priority, match, RuleAction.ToController(slowPath)));
            _tables[table] = RuleTable.Build(rules);
        }
    }

    /// <summary>
    /// Whether a frame that came in on engine port <paramref name="ingress"/> may go through the
    /// tables: only a port the switch numbers can. Another's frame (a switch's router interface, a
    /// control-plane mirror, a port a reload has just removed) is dropped here, counted as
    /// no-route on its port.
    /// </summary>
    public bool Takes(int ingress)
    {
        if ((uint)ingress < (uint)packetOut.Ports.Count && info.Port(OpenFlowPortSet.NumberOf(ingress)) is not null) return true;
        packetOut.CountersOf(ingress).AddDrop(DropReason.NoRoute);
        return false;
    }

    /// <summary>Runs the flow with rule id <paramref name="ruleId"/> and those it leads to on <paramref name="frame"/> (Ethernet), which came in on engine port <paramref name="ingress"/>.</summary>
    public void Run(int ruleId, int ingress, byte[] frame)
    {
        var index = ruleId - OpenFlowRuleCompiler.FirstId;
        if ((uint)index >= (uint)_flows.Length || (uint)ingress >= (uint)packetOut.Ports.Count)
        {
            // A frame sent here under a table compiled before the last FLOW_MOD: its flow is gone.
            packetOut.CountersOf(ingress).AddDrop(DropReason.Rule);
            return;
        }
        var inPort = (uint)ingress + 1;
        var outputsBefore = packetOut.Outputs;
        _actionSet.Clear();
        var flow = _flows[index];
        OfpPacketInReason reason;
        while (true)
        {
            reason = flow.IsTableMiss ? OfpPacketInReason.NoMatch : OfpPacketInReason.Action;
            var steps = flow.Steps;
            if (steps.ApplyActions is { } apply)
            {
                if (packetOut.Apply(inPort, apply, frame, reason, flow.Cookie, info) is not { } changed) return;
                frame = changed;
            }
            if (steps.ClearsActions) _actionSet.Clear();
            _actionSet.Write(steps.WriteActions);
            if (!steps.Goes) break;
            var table = _tables[steps.GotoTable];
            var key = FlowKeyFields.Read(frame, ethernet: true, ingress);
            if (table?.Lookup(key) is not { } rule)
            {
                packetOut.Ports[ingress].Counters.AddDrop(DropReason.Rule);
                return;
            }
            flow = _flows[rule.Id - OpenFlowRuleCompiler.FirstId];
            flow.Hits.Add(frame.Length, Environment.TickCount64);
        }
        if (packetOut.Apply(inPort, _actionSet.InOrder(), frame, reason, flow.Cookie, info) is not null && packetOut.Outputs == outputsBefore)
            packetOut.Ports[ingress].Counters.AddDrop(DropReason.Rule);
    }
}
