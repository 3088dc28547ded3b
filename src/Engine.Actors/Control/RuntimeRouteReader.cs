using System.Net;
using Engine.Actors.Lab;
using Engine.Actors.Routing;
using Engine.Actors.Topology;

namespace Engine.Actors.Control;

/// <summary>
/// Reads `engine route add`'s words into a route of the runtime source, by the lab file's rules
/// for a route: each via is a routed port or a next-hop address that a connected subnet holds
/// (two or more make a multipath route, which has no backup), and the backup is another.
/// </summary>
internal static class RuntimeRouteReader
{
    /// <summary>The route, or null with <paramref name="error"/> saying what is wrong, as the CLI prints it.</summary>
    public static TableRoute? Read(LabView lab, ControlRequest request, out string error)
    {
        if (Prefix(request.Prefix, out error) is not { } prefix) return null;
        var connected = ConnectedSubnets.Of(lab.Lab);
        var hops = new List<NextHop>(request.Vias.Count);
        foreach (var via in request.Vias)
        {
            if (Hop(lab, connected, prefix, via, out error) is not { } hop) return null;
            if (hops.Contains(hop))
            {
                error = $"{via} is already one of the route's vias";
                return null;
            }
            hops.Add(hop);
        }
        NextHop? backup = null;
        if (request.Backup is { } backupText)
        {
            if (hops.Count > 1)
            {
                error = "a route with several vias has no backup: its paths back each other up";
                return null;
            }
            if ((backup = Hop(lab, connected, prefix, backupText, out error)) is null) return null;
        }
        return hops.Count == 1
            ? new TableRoute(prefix, hops[0], backup, RouteSource.Runtime)
            : TableRoute.Multipath(prefix, [.. hops.Select(h => new EcmpPath(h))]) with { Source = RouteSource.Runtime };
    }

    /// <summary>A route's prefix as the lab file takes it: a network address and a length.</summary>
    public static IpPrefix? Prefix(string? text, out string error)
    {
        if (IpPrefix.TryParse(text, out var prefix, out var why))
        {
            error = "";
            return prefix;
        }
        error = $"prefix {text}: {why}";
        return null;
    }

    private static NextHop? Hop(LabView lab, ConnectedSubnets connected, IpPrefix prefix, string via, out string error)
    {
        error = "";
        if (lab.LivePorts.FirstOrDefault(p => p.Name == via) is { } port)
        {
            if (port.Wires is not null || port.Switch is not null || port.MirrorOf >= 0)
            {
                error = $"{via} takes part in no routing (it is wired, switched or a control-plane interface)";
                return null;
            }
            return new NextHop(port.Index);
        }
        if (!IPAddress.TryParse(via, out var address))
        {
            error = $"no port or next-hop address {via}; ports: {string.Join(", ", lab.LivePorts.Where(p => p.MirrorOf < 0).Select(p => p.Name))}";
            return null;
        }
        if ((address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6) != prefix.IsIPv6)
        {
            error = $"next hop {via} is not of {prefix}'s family";
            return null;
        }
        if (connected.Resolve(address, out var inactive) is not { } hop)
        {
            error = $"next hop {via}: {inactive}";
            return null;
        }
        return new NextHop(lab.LivePorts.First(p => p.Name == hop.Port).Index, LabRoutes.AddressValue(address));
    }
}
