using System.Net;
using Engine.Actors.Routing;
using Engine.Actors.Topology;

namespace Engine.Actors.Fpm;

/// <summary>
/// Turns a route of zebra's FIB into one of the engine's table. A gateway goes to the port whose
/// connected subnet holds it, as a lab file's <c>via = "10.0.2.1"</c> does (<see cref="ConnectedSubnets"/>);
/// a gateway no subnet holds, or a path with only an interface, goes through the interface of that
/// index in zebra's namespace, matched to the port of the same name (the control plane's mirror
/// interfaces carry the ports' names; on a peer link the link itself is the next hop). A path that
/// resolves nowhere is left out, and a route none of whose paths resolves is inactive. A route of
/// several paths that resolve is multipath, with zebra's weights. Blackhole, unreachable and
/// prohibit routes refuse.
/// </summary>
public sealed class FpmRouteResolver(ConnectedSubnets connected, IReadOnlyDictionary<string, int> ports, Func<int, string?> linkName)
{
    private readonly Dictionary<int, string?> _names = [];
    private ConnectedSubnets _connected = connected;
    private IReadOnlyDictionary<string, int> _ports = ports;

    /// <summary>A reload changed the lab's ports (<see cref="FpmLabReloaded"/>): routes from now on resolve to those.</summary>
    public void Reload(ConnectedSubnets connected, IReadOnlyDictionary<string, int> ports)
    {
        _connected = connected;
        _ports = ports;
    }

    /// <summary>Interfaces may be renumbered while zebra is away: a new connection asks the kernel again.</summary>
    public void ForgetLinkNames() => _names.Clear();

    /// <summary>The route to install, or null with <paramref name="inactive"/> saying why it cannot be.</summary>
    public TableRoute? Resolve(FpmFibEntry entry, out string? inactive)
    {
        inactive = null;
        var prefix = entry.Key.Prefix;
        switch (entry.Type)
        {
            case FpmRouteType.Blackhole:
                return new TableRoute(prefix, NextHop.Refusing(NextHopKind.Blackhole), Source: RouteSource.Fpm);
            case FpmRouteType.Unreachable:
                return new TableRoute(prefix, NextHop.Refusing(NextHopKind.Unreachable), Source: RouteSource.Fpm);
            case FpmRouteType.Prohibit:
                return new TableRoute(prefix, NextHop.Refusing(NextHopKind.Prohibit), Source: RouteSource.Fpm);
        }
        if (entry.NextHops.IsEmpty)
        {
            inactive = "its next-hop object is unknown";
            return null;
        }
        List<EcmpPath>? paths = null;
        string? leftOut = null;
        foreach (var path in entry.NextHops)
        {
            if (Resolve(path, out var why) is { } hop)
                (paths ??= new List<EcmpPath>(entry.NextHops.Length)).Add(new EcmpPath(hop, path.Weight));
            else
                leftOut ??= why;
        }
        if (paths is null)
        {
            inactive = leftOut;
            return null;
        }
        return paths.Count == 1
            ? new TableRoute(prefix, paths[0].Hop, Source: RouteSource.Fpm)
            : TableRoute.Multipath(prefix, paths) with { Source = RouteSource.Fpm };
    }

    private NextHop? Resolve(FpmNextHop path, out string? inactive)
    {
        inactive = null;
        var address = UInt128.Zero;
        if (path.Gateway is { } gateway)
        {
            address = gateway.Value;
            if (_connected.Resolve(AddressOf(gateway), out inactive) is { } hop && _ports.TryGetValue(hop.Port, out var port))
                return new NextHop(port, address);
        }
        if (path.IfIndex <= 0)
            return null;
        var name = LinkName(path.IfIndex);
        if (name is not null && _ports.TryGetValue(name, out var named))
            return new NextHop(named, address);
        inactive = (inactive is null ? "" : inactive + ", and ") + (name is null
            ? $"interface {path.IfIndex} does not exist in zebra's namespace"
            : $"interface {path.IfIndex} ({name}) is no port of the engine");
        return null;
    }

    private string? LinkName(int index)
    {
        if (!_names.TryGetValue(index, out var name))
            _names[index] = name = linkName(index);
        return name;
    }

    private static IPAddress AddressOf(FpmAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (!address.IsIPv6)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)address.Value);
            return new IPAddress(bytes[..4]);
        }
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(bytes, address.Value);
        return new IPAddress(bytes);
    }
}

/// <summary>A reload changed the lab's ports: the FPM server resolves zebra's routes to these from now on.</summary>
/// <param name="Ports">Each live port's place, by name.</param>
public sealed record FpmLabReloaded(ConnectedSubnets Connected, IReadOnlyDictionary<string, int> Ports);
