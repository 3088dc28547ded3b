namespace Engine.Actors.Rules;

/// <summary>
/// The match/action table in front of the lab's forwarding, as a tuple-space classifier: rules
/// are grouped by the shape of their match (which fields, which prefix lengths), each group a
/// hash table from masked values to its best rule. A lookup masks the frame's key once per
/// group, in order of the groups' best priority, and stops when no later group can win. A
/// thousand exact-match rules of one shape cost one hash lookup. A lab's handful of rules (up to
/// 16 entries) is scanned in precedence order instead, which is cheaper than a hash per shape. A
/// table is immutable, and a change builds a new one. Allocates nothing per lookup.
/// </summary>
public sealed class RuleTable
{
    /// <summary>Up to this many entries a scan in precedence order beats hashing once per shape.</summary>
    private const int ScanLimit = 16;

    private readonly Group[] _groups;
    private readonly Rule[]? _inOrder;
    // The scanned rules' matches, read in place: Rule.Match would copy each out.
    private readonly FlowMatch[]? _inOrderMatches;

    private RuleTable(Group[] groups, Rule[]? inOrder, int count)
    {
        _groups = groups;
        _inOrder = inOrder;
        _inOrderMatches = inOrder?.Select(r => r.Match).ToArray();
        Count = count;
        UsesOpenFlowFields = groups.Any(g => g.Mask is { EthDestination: not 0 } or { EthSource: not 0 } or { VlanTci: not 0 } or { Dscp: not 0 }
            or { L4Source: not 0 } or { L4Destination: not 0 } || g.Mask.EtherType != 0 && g.Rules.Keys.Any(k => k.EtherType == Wire.EtherType.Arp));
    }

    /// <summary>
    /// Whether a rule matches a field only <see cref="FlowKeyFields"/> reads (Ethernet addresses,
    /// VLAN, DSCP, L4, ARP's): frames are then read with it, and otherwise with the cheaper
    /// <see cref="FlowKeyReader"/>.
    /// </summary>
    public bool UsesOpenFlowFields { get; }

    /// <summary>The entries: one per rule, two for a rule that matches a link-local source of either family.</summary>
    public int Count { get; }

    /// <summary>The match shapes, each one hash lookup per frame at most.</summary>
    public int Groups => _groups.Length;

    /// <summary>The table of <paramref name="rules"/>; null when none can change what a frame does (none, or only <c>normal</c>).</summary>
    public static RuleTable? Build(IEnumerable<Rule> rules)
    {
        var list = rules.ToList();
        if (list.All(r => r.Action.Kind == RuleActionKind.Normal)) return null;
        var groups = list
            .GroupBy(r => r.Match.Mask)
            .Select(shape => new Group(shape.Key, shape))
            .OrderByDescending(g => g.BestPriority)
            .ToArray();
        var inOrder = list.Count <= ScanLimit
            ? list.OrderByDescending(r => r.Priority).ThenBy(r => r.Id).ToArray()
            : null;
        return new RuleTable(groups, inOrder, list.Count);
    }

    /// <summary>The rule that decides a frame with <paramref name="key"/>, or null when none matches.</summary>
    public Rule? Lookup(in FlowKey key)
    {
        if (_inOrder is { } rules)
        {
            var matches = _inOrderMatches!;
            for (var i = 0; i < matches.Length; i++)
                if (matches[i].Matches(key))
                    return rules[i];
            return null;
        }
        Rule? best = null;
        foreach (var group in _groups)
        {
            if (best is not null && group.BestPriority < best.Priority) break;
            if (group.Rules.TryGetValue(key.Masked(in group.Mask), out var rule) && (best is null || rule.Precedes(best)))
                best = rule;
        }
        return best;
    }

    private sealed class Group
    {
        public Group(FlowKey mask, IEnumerable<Rule> rules)
        {
            Mask = mask;
            foreach (var rule in rules)
            {
                if (!Rules.TryGetValue(rule.Match.Value, out var held) || rule.Precedes(held))
                    Rules[rule.Match.Value] = rule;
                BestPriority = Math.Max(BestPriority, rule.Priority);
            }
        }

        public readonly FlowKey Mask;
        public Dictionary<FlowKey, Rule> Rules { get; } = [];
        public int BestPriority { get; } = int.MinValue;
    }
}
