namespace Engine.Actors.Routing;

/// <summary>
/// Where a route sends a packet: out of port <see cref="Port"/>, to the neighbour
/// <see cref="Address"/> there when the route names a next hop (a router among the link's hosts),
/// or to the packet's own destination when it is zero (the destination is on the link). Only an
/// Ethernet port looks at the address, to resolve its MAC; a tun or a peer link is the next hop
/// itself. An IPv4 next hop is held in the low 32 bits. A route that refuses its packets
/// (<see cref="Kind"/> other than forward) has no port (-1).
/// </summary>
public readonly record struct NextHop(int Port, UInt128 Address = default, NextHopKind Kind = NextHopKind.Forward)
{
    /// <summary>True when the route names a neighbour other than the packet's destination.</summary>
    public bool IsGateway => Address != UInt128.Zero;

    /// <summary>True when packets leave through <see cref="Port"/>; false for a blackhole, unreachable or prohibit route.</summary>
    public bool Forwards => Kind == NextHopKind.Forward;

    /// <summary>A route that refuses its packets the way <paramref name="kind"/> says.</summary>
    public static NextHop Refusing(NextHopKind kind) => new(-1, UInt128.Zero, kind);
}
