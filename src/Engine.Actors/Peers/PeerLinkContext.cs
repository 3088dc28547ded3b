using Akka.Actor;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Dataplane;
using Engine.Actors.Topology;
using Engine.Native.Reactor;

namespace Engine.Actors.Peers;

/// <summary>What a peer's links share: the reactor they run on, buffers, the router their frames go
/// to, the owning actor they report to, and the port they are.</summary>
/// <param name="NodeName">This engine's name in HELLOs.</param>
/// <param name="PortNames">Every port's name by number, announced to a controller.</param>
/// <param name="Mtu">The largest packet the link carries either way; a length16 length beyond it means the stream is not what it claims.</param>
/// <param name="SendBudget">Bytes of pool buffers the link's send queue may hold (<see cref="Peers.SendBudget"/>).</param>
/// <param name="Faults">Where a fault while taking one frame in is counted and logged; the links run on one thread.</param>
internal sealed record PeerLinkContext(
    Reactor Reactor,
    FrameBatchPool Pool,
    IActorRef Router,
    IActorRef Owner,
    int Port,
    PortCounters Counters,
    PeerSpec Spec,
    string NodeName,
    IReadOnlyList<string> PortNames,
    int Mtu,
    long SendBudget,
    FrameFaults Faults)
{
    /// <summary>
    /// Frames keep their tags both ways: a port for a controller, a wire on a link carrying
    /// wires; on any other link tags are ignored.
    /// </summary>
    public bool TakesTags => Spec.Role == PeerRole.Controller || Spec.CarriesWireTags;

    /// <summary>The ports whose frames carry an Ethernet header: their PORT message says so.</summary>
    public IReadOnlySet<int> EthernetPorts { get; init; } = new HashSet<int>();

    /// <summary>A controller hears the port table when its link comes up.</summary>
    public bool AnnouncesPorts => Spec.Role == PeerRole.Controller;

    /// <summary>
    /// This side takes super-frames over the link: another engine on a stream (a UDP datagram
    /// cannot hold 64 KiB), with buffers large enough for them.
    /// </summary>
    public bool OffersOffloads => Spec.Role == PeerRole.Engine && Spec.Transport != PeerTransport.Udp
        && Pool.MaxFrameLength >= Offload.TcpCoalescer.MaxIpLength;
}

/// <summary>A link finished its handshake (or needs none): frames may flow.</summary>
internal sealed record LinkUp(PeerLink Link, string Remote);

/// <summary>A link stopped carrying frames; a stream link is closed by then.</summary>
internal sealed record LinkDown(PeerLink Link, string Reason);

/// <summary>A peer was refused at the handshake (wrong key, wrong version): logged by the owner.</summary>
internal sealed record LinkRefused(PeerLink Link, string Reason);

/// <summary>Something about a link worth a log line that changes nothing else (a fallback taken).</summary>
internal sealed record LinkNotice(PeerLink Link, string What);
