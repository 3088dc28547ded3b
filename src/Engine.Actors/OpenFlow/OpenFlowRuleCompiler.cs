using System.Buffers.Binary;
using Engine.Actors.Routing;
using Engine.Actors.Rules;

namespace Engine.Actors.OpenFlow;

/// <summary>
/// Turns table 0 into rule-table entries the router applies to every frame, so OpenFlow
/// is one more source of the one pipeline's rules. A flow with no actions drops; one whose only
/// action is an output to a port of the ingress's kind (both Ethernet or both IP) goes out there
/// on the fast path; NORMAL leaves the frame to the lab. Anything else (several actions, FLOOD,
/// CONTROLLER, rewrites, groups, goto_table) goes to the OpenFlow switch's port, where
/// <see cref="OpenFlowPipeline"/> runs it and the later tables (the slow path). The lab file's rules come first, and while the table is in charge a frame no
/// flow matches is dropped (OpenFlow's table miss), counted <c>rule</c>.
/// </summary>
public static class OpenFlowRuleCompiler
{
    /// <summary>Flow i of the compiled list is rule <see cref="FirstId"/> + i: the id the slow path gets with the frame.</summary>
    public const int FirstId = 1 << 20;

    /// <summary>Lab rules are lifted above every OpenFlow priority (0 to 65535).</summary>
    private const int LabPriorityLift = 0x10000;

    private const ushort OutputAction = 0;

    /// <param name="ports">The lab's ports (devices, peers, more), by engine index.</param>
    /// <param name="openFlowPorts">The switch's ports now: flows naming another port match nothing and do not output.</param>
    /// <param name="slowPath">The engine index of the OpenFlow switch's own port.</param>
    /// <param name="inCharge">Whether the flow table decides (secure, or a controller connected): false leaves the lab's rules alone.</param>
    public static RuleTable? Compile(IReadOnlyList<Rule> labRules, IReadOnlyList<OpenFlowFlow> flows, IReadOnlyList<Port> ports, OpenFlowPortSet openFlowPorts,
        int slowPath, bool inCharge)
    {
        if (!inCharge) return RuleTable.Build(labRules);
        var rules = labRules.Select(rule => rule with { Priority = rule.Priority + LabPriorityLift }).ToList();
        for (var i = 0; i < flows.Count; i++)
            if (flows[i].TableId == 0 && Match(flows[i].Match, openFlowPorts) is { } match)
                rules.Add(new Rule(FirstId + i, flows[i].Priority, match, Action(flows[i], ports, openFlowPorts, slowPath)) { Hits = flows[i].Hits });
        rules.Add(new Rule(int.MaxValue, -1, FlowMatch.Any, RuleAction.Drop));
        return RuleTable.Build(rules);
    }

    private static RuleAction Action(OpenFlowFlow flow, IReadOnlyList<Port> ports, OpenFlowPortSet openFlowPorts, int slowPath)
    {
        var steps = flow.Steps;
        if (steps.Goes) return RuleAction.ToController(slowPath);
        // The actions of apply-actions and then write-actions tell whether the fast path can carry the flow.
        var applied = steps.ApplyActions ?? [];
        var written = steps.WriteActions;
        if (applied.Length == 0 && written.Length == 0) return RuleAction.Drop;
        ReadOnlySpan<byte> only = applied.Length == 16 && written.Length == 0 ? applied : applied.Length == 0 && written.Length == 1 ? written[0].Span : default;
        if (only.Length == 16 && BinaryPrimitives.ReadUInt16BigEndian(only) == OutputAction)
        {
            var port = BinaryPrimitives.ReadUInt32BigEndian(only[4..]);
            if (port == OfpPortNumbers.Normal) return RuleAction.Normal;
            if (openFlowPorts.Find(port) is { } egress && SameKind(flow, ports, openFlowPorts, ports[egress.EngineIndex])) return RuleAction.ToPort(egress.EngineIndex);
        }
        return RuleAction.ToController(slowPath);
    }

    /// <summary>Whether every frame the flow takes comes from a port of <paramref name="egress"/>'s kind, so it can leave there unchanged.</summary>
    private static bool SameKind(OpenFlowFlow flow, IReadOnlyList<Port> ports, OpenFlowPortSet openFlowPorts, Port egress)
    {
        if (flow.Match.Find(OxmFieldId.InPort) is { } inPort)
            return inPort.Number <= uint.MaxValue && openFlowPorts.Find((uint)inPort.Number) is { } ingress && ports[ingress.EngineIndex].IsEthernet == egress.IsEthernet;
        foreach (var port in openFlowPorts.All)
            if (ports[port.EngineIndex].IsEthernet != egress.IsEthernet) return false;
        return true;
    }

    /// <summary>The match as a rule-table match; null when no frame can match it (a port the switch lacks, an ARP opcode past 255).</summary>
    public static FlowMatch? Match(OxmMatch match, OpenFlowPortSet openFlowPorts)
    {
        var value = new FlowKey(0, 0, 0, 0, 0, 0);
        var mask = new FlowKey(0, 0, 0, 0, 0, 0);
        foreach (var field in match.Fields)
        {
            var (v, m) = (field.Number128(), field.Mask128());
            switch (field.Id)
            {
                case OxmFieldId.InPort:
                    if (v > uint.MaxValue || openFlowPorts.Find((uint)v) is not { } inPort) return null;
                    (value, mask) = (value with { InPort = inPort.EngineIndex }, mask with { InPort = -1 });
                    break;
                case OxmFieldId.EthDst:
                    (value, mask) = (value with { EthDestination = (ulong)v }, mask with { EthDestination = (ulong)m });
                    break;
                case OxmFieldId.EthSrc:
                    (value, mask) = (value with { EthSource = (ulong)v }, mask with { EthSource = (ulong)m });
                    break;
                case OxmFieldId.EthType:
                    (value, mask) = (value with { EtherType = (ushort)v }, mask with { EtherType = ushort.MaxValue });
                    break;
                case OxmFieldId.VlanVid:
                    (value, mask) = (value with { VlanTci = (ushort)(value.VlanTci | (ushort)v & 0x1fff) }, mask with { VlanTci = (ushort)(mask.VlanTci | (ushort)m & 0x1fff) });
                    break;
                case OxmFieldId.VlanPcp:
                    (value, mask) = (value with { VlanTci = (ushort)(value.VlanTci | (ushort)v << 13) }, mask with { VlanTci = (ushort)(mask.VlanTci | 0xe000) });
                    break;
                case OxmFieldId.IpDscp:
                    (value, mask) = (value with { Dscp = (byte)v }, mask with { Dscp = 0x3f });
                    break;
                case OxmFieldId.IpProto or OxmFieldId.ArpOp:
                    if (v > 0xff) return null;
                    (value, mask) = (value with { IpProtocol = (byte)v }, mask with { IpProtocol = byte.MaxValue });
                    break;
                case OxmFieldId.Ipv4Src or OxmFieldId.ArpSpa or OxmFieldId.Ipv6Src:
                    (value, mask) = (value with { Source = v }, mask with { Source = m });
                    break;
                case OxmFieldId.Ipv4Dst or OxmFieldId.ArpTpa or OxmFieldId.Ipv6Dst:
                    (value, mask) = (value with { Destination = v }, mask with { Destination = m });
                    break;
                case OxmFieldId.TcpSrc or OxmFieldId.UdpSrc or OxmFieldId.Icmpv4Type or OxmFieldId.Icmpv6Type:
                    (value, mask) = (value with { L4Source = (ushort)v }, mask with { L4Source = (ushort)m });
                    break;
                case OxmFieldId.TcpDst or OxmFieldId.UdpDst or OxmFieldId.Icmpv4Code or OxmFieldId.Icmpv6Code:
                    (value, mask) = (value with { L4Destination = (ushort)v }, mask with { L4Destination = (ushort)m });
                    break;
            }
        }
        return new FlowMatch(value, mask);
    }
}
