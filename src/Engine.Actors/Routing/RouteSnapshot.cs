using Engine.Actors.Rules;

namespace Engine.Actors.Routing;

/// <summary>
/// One immutable version of the routing table: the ports, the next hops routes lead to, an LPM
/// table per family whose values are indices into <see cref="NextHops"/>, and the engine's own
/// addresses. A change builds a new snapshot and the
/// router swaps it in whole, so lookups never lock and never see half an update.
/// </summary>
public sealed class RouteSnapshot
{
    private readonly HashSet<uint> _localV4;
    private readonly HashSet<UInt128> _localV6;

    /// <summary>A snapshot whose routes each send to a port, their destinations on its link.</summary>
    public RouteSnapshot(IReadOnlyList<Port> ports, IEnumerable<(IpPrefix Prefix, int Port)> routes, RuleTable? rules = null)
        : this(ports, routes.Select(r => new SnapshotRoute(r.Prefix, new NextHop(r.Port))), rules)
    {
    }

    /// <summary>A snapshot whose routes lead to next hops: a port, and a neighbour's address there or zero.</summary>
    public static RouteSnapshot Of(IReadOnlyList<Port> ports, IEnumerable<(IpPrefix Prefix, NextHop NextHop)> routes, RuleTable? rules = null) =>
        new(ports, routes.Select(r => new SnapshotRoute(r.Prefix, r.NextHop)), rules);

    /// <summary>A snapshot whose routes may each spread their flows over several paths (<see cref="SnapshotRoute.Paths"/>).</summary>
    public static RouteSnapshot Of(IReadOnlyList<Port> ports, IEnumerable<SnapshotRoute> routes, RuleTable? rules = null) =>
        new(ports, routes, rules);

    /// <summary>
    /// A snapshot of tables already built (or edited from the last snapshot's: <see cref="SnapshotEditor"/>)
    /// whose values index <paramref name="nextHops"/> and, past them, <paramref name="groups"/>.
    /// </summary>
    internal RouteSnapshot(IReadOnlyList<Port> ports, RuleTable? rules, NextHop[] nextHops, EcmpGroup[] groups, Ipv4PrefixTable ipv4, Ipv6PrefixTable ipv6)
    {
        Rules = rules;
        Ports = CheckedPorts(ports);
        NextHops = nextHops;
        Groups = groups;
        Ipv4 = ipv4;
        Ipv6 = ipv6;
        (_localV4, _localV6) = LocalAddresses(Ports);
        AnyIpv4Address = _localV4.FirstOrDefault();
        AnyIpv6Address = _localV6.FirstOrDefault();
    }

    private RouteSnapshot(IReadOnlyList<Port> ports, IEnumerable<SnapshotRoute> routes, RuleTable? rules)
        : this(ports, rules, Tables(new SnapshotValues(ports.Count), routes))
    {
    }

    private RouteSnapshot(IReadOnlyList<Port> ports, RuleTable? rules, (NextHop[] NextHops, EcmpGroup[] Groups, Ipv4PrefixTable Ipv4, Ipv6PrefixTable Ipv6) tables)
        : this(ports, rules, tables.NextHops, tables.Groups, tables.Ipv4, tables.Ipv6)
    {
    }

    /// <param name="values">Numbers the routes' next hops and groups.</param>
    private static (NextHop[], EcmpGroup[], Ipv4PrefixTable, Ipv6PrefixTable) Tables(SnapshotValues values, IEnumerable<SnapshotRoute> routes)
    {
        // Routes share their next hops and their multipath groups: the tables hold an index into
        // the next hops, or past them into the groups.
        var ipv4 = new List<(IpPrefix Prefix, int Value)>();
        var ipv6 = new List<(IpPrefix Prefix, int Value)>();
        foreach (var route in routes)
            (route.Prefix.IsIPv6 ? ipv6 : ipv4).Add((route.Prefix, values.ValueOf(route)));
        Finish(ipv4, values);
        Finish(ipv6, values);
        return (values.NextHops, values.Groups, Ipv4PrefixTable.Build(ipv4), Ipv6PrefixTable.Build(ipv6));
    }

    private static Port[] CheckedPorts(IReadOnlyList<Port> ports)
    {
        var checkedPorts = ports.ToArray();
        for (var i = 0; i < checkedPorts.Length; i++)
            if (checkedPorts[i].Index != i) throw new ArgumentException($"port {checkedPorts[i].Name} has index {checkedPorts[i].Index}, expected {i}");
        return checkedPorts;
    }

    private static (HashSet<uint>, HashSet<UInt128>) LocalAddresses(Port[] ports) =>
        (ports.Where(p => p.Ipv4Address != 0).Select(p => p.Ipv4Address).ToHashSet(),
         ports.Where(p => p.Ipv6Address != UInt128.Zero).Select(p => p.Ipv6Address).ToHashSet());

    // Group values follow the next hops', known only now.
    internal static void Finish(List<(IpPrefix Prefix, int Value)> routes, SnapshotValues values)
    {
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(routes);
        foreach (ref var route in span)
            route.Value = values.Final(route.Value);
    }

    private RouteSnapshot(RouteSnapshot routes, RuleTable? rules)
    {
        Rules = rules;
        Ports = routes.Ports;
        NextHops = routes.NextHops;
        Groups = routes.Groups;
        Ipv4 = routes.Ipv4;
        Ipv6 = routes.Ipv6;
        _localV4 = routes._localV4;
        _localV6 = routes._localV6;
        AnyIpv4Address = routes.AnyIpv4Address;
        AnyIpv6Address = routes.AnyIpv6Address;
    }

    /// <summary>The same routes under other rules (an OpenFlow table changed): nothing is rebuilt but the rule table.</summary>
    public RouteSnapshot WithRules(RuleTable? rules) => new(this, rules);

    public static RouteSnapshot Empty { get; } = new([], []);

    public Port[] Ports { get; }

    /// <summary>What the tables' values below <see cref="FirstGroupValue"/> index: each distinct port and next-hop address routes lead to.</summary>
    public NextHop[] NextHops { get; }

    /// <summary>
    /// The table value of the first group (<see cref="Groups"/>); values below it index <see cref="NextHops"/>.
    /// Fixed rather than just past the next hops, so that a next hop added later moves no group's value
    /// and a snapshot can be edited from the last one (<see cref="SnapshotEditor"/>).
    /// </summary>
    public const int FirstGroupValue = 1 << 22;

    /// <summary>The multipath routes' groups, which the tables' values from <see cref="FirstGroupValue"/> on index.</summary>
    public EcmpGroup[] Groups { get; }

    /// <summary>The next hop a table value leads the flow of <paramref name="flowHash"/> to: itself, or its group's pick.</summary>
    public ref readonly NextHop HopOf(int value, uint flowHash) =>
        ref NextHops[value < FirstGroupValue ? value : Groups[value - FirstGroupValue].Pick(flowHash)];

    /// <summary>True when a table value is a multipath group, whose pick needs the packet's flow hash.</summary>
    public bool IsMultipath(int value) => value >= FirstGroupValue;

    public Ipv4PrefixTable Ipv4 { get; }
    public Ipv6PrefixTable Ipv6 { get; }

    /// <summary>The rules every frame meets before the lab's own forwarding; null when there are none to apply.</summary>
    public RuleTable? Rules { get; }

    /// <summary>True when <paramref name="address"/> is one of the engine's own IPv4 addresses.</summary>
    public bool IsLocal(uint address) => _localV4.Contains(address);

    public bool IsLocal(UInt128 address) => _localV6.Contains(address);

    /// <summary>An address to source ICMP from when the ingress port has none of that family.</summary>
    public uint AnyIpv4Address { get; }

    public UInt128 AnyIpv6Address { get; }
}
