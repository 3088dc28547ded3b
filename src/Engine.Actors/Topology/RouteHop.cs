using System.Net;

namespace Engine.Actors.Topology;

/// <summary>
/// Where a planned route leads: a port (device, peer, or a switch's router interface), and the
/// neighbour there that packets go to when the route names a next-hop address; without one,
/// each packet's own destination is the neighbour (or the link is, for a tun or a peer).
/// </summary>
public readonly record struct RouteHop(string Port, IPAddress? Address = null)
{
    public override string ToString() => Address is null ? Port : $"{Address} on {Port}";
}
