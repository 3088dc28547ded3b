using Engine.Actors.Rules;

namespace Engine.Actors.Routing;

/// <summary>
/// One immutable version of the routing table: the ports, an LPM table per family whose values
/// are port indices, and the engine's own addresses. A change builds a new snapshot and the
/// router swaps it in whole, so lookups never lock and never see half an update.
/// </summary>
public sealed class RouteSnapshot
{
    private readonly HashSet<uint> _localV4;
    private readonly HashSet<UInt128> _localV6;

    public RouteSnapshot(IReadOnlyList<Port> ports, IEnumerable<(IpPrefix Prefix, int Port)> routes, RuleTable? rules = null)
    {
        Rules = rules;
        Ports = ports.ToArray();
        for (var i = 0; i < Ports.Length; i++)
            if (Ports[i].Index != i) throw new ArgumentException($"port {Ports[i].Name} has index {Ports[i].Index}, expected {i}");

        var list = routes.ToList();
        foreach (var (prefix, port) in list)
            if (port < 0 || port >= Ports.Length) throw new ArgumentException($"route {prefix} names port {port}, which does not exist");
        Ipv4 = Ipv4PrefixTable.Build(list.Where(r => !r.Prefix.IsIPv6));
        Ipv6 = Ipv6PrefixTable.Build(list.Where(r => r.Prefix.IsIPv6));
        _localV4 = Ports.Where(p => p.Ipv4Address != 0).Select(p => p.Ipv4Address).ToHashSet();
        _localV6 = Ports.Where(p => p.Ipv6Address != UInt128.Zero).Select(p => p.Ipv6Address).ToHashSet();
        AnyIpv4Address = _localV4.FirstOrDefault();
        AnyIpv6Address = _localV6.FirstOrDefault();
    }

    public static RouteSnapshot Empty { get; } = new([], []);

    public Port[] Ports { get; }
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
