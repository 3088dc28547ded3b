using Akka.Actor;
using Engine.Actors.Buffers;

namespace Engine.Actors.Peers;

/// <summary>What every peer actor shares: the reactor, the buffer pool, the router, and the ports it announces.</summary>
/// <param name="DefaultMtu">The MTU of a peer whose spec names none.</param>
/// <param name="PeerCount">How many peers share the pool's part for send queues (<see cref="SendBudget"/>).</param>
/// <param name="EthernetPorts">The ports whose frames carry an Ethernet header, announced as such to a controller; none when null.</param>
public sealed record PeerEnvironment(Engine.Native.Reactor.Reactor Reactor, FrameBatchPool Pool, IActorRef Router, string NodeName,
    IReadOnlyList<string> PortNames, int DefaultMtu, int PeerCount = 1, IReadOnlySet<int>? EthernetPorts = null)
{
    /// <summary>Told when the link goes up or down, to take routes to their backups and back (<see cref="Router.RouteBookActor"/>).</summary>
    public IActorRef? RouteBook { get; init; }
}
