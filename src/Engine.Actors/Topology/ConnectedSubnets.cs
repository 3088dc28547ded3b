using System.Net;

namespace Engine.Actors.Topology;

/// <summary>
/// The lab's connected subnets: each routed device's address subnets and each switch's gateway
/// subnets, in file order, each prefix once, with the engine's own addresses there. A next-hop
/// address (a static route's or zebra's) is put on the port of the longest one holding it.
/// </summary>
public sealed class ConnectedSubnets
{
    private readonly List<ConnectedSubnet> _subnets;

    private ConnectedSubnets(List<ConnectedSubnet> subnets) => _subnets = subnets;

    public IReadOnlyList<ConnectedSubnet> All => _subnets;

    public static ConnectedSubnets Of(LabTopology lab)
    {
        var unrouted = new HashSet<string>(lab.Wires.SelectMany(w => new[] { w.First, w.Second }), StringComparer.Ordinal);
        unrouted.UnionWith(lab.Switches.SelectMany(s => s.Ports));
        var subnets = new List<ConnectedSubnet>();
        var seen = new HashSet<IPNetwork>();
        foreach (var device in lab.Devices)
        {
            if (unrouted.Contains(device.Name))
                continue;
            foreach (var address in device.Addresses)
                if (seen.Add(address.Subnet))
                    subnets.Add(new ConnectedSubnet(address.Subnet, device.Name, [.. device.Gateways]));
        }
        foreach (var l2 in lab.Switches)
            foreach (var gateway in l2.Gateways)
                if (seen.Add(gateway.Subnet))
                    subnets.Add(new ConnectedSubnet(gateway.Subnet, l2.Name, [.. l2.Gateways.Select(g => g.Address)]));
        return new ConnectedSubnets(subnets);
    }

    /// <summary>
    /// The port whose longest connected subnet holds <paramref name="nextHop"/>, with the address;
    /// null when none holds it or it is the engine's own address there, <paramref name="inactive"/> saying which.
    /// </summary>
    public RouteHop? Resolve(IPAddress nextHop, out string? inactive)
    {
        inactive = null;
        ConnectedSubnet? best = null;
        foreach (var subnet in _subnets)
            if (subnet.Subnet.Contains(nextHop) && (best is null || subnet.Subnet.PrefixLength > best.Subnet.PrefixLength))
                best = subnet;
        if (best is null)
        {
            inactive = $"no connected subnet holds {nextHop}";
            return null;
        }
        if (best.EngineAddresses.Contains(nextHop))
        {
            inactive = $"{nextHop} is the engine's own address on {best.Port}";
            return null;
        }
        return new RouteHop(best.Port, nextHop);
    }
}

/// <summary>A subnet routed through <paramref name="Port"/>, where the engine has <paramref name="EngineAddresses"/>.</summary>
public sealed record ConnectedSubnet(IPNetwork Subnet, string Port, IReadOnlyList<IPAddress> EngineAddresses);
