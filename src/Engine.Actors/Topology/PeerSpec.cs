using System.Collections.Immutable;
using System.Net;

namespace Engine.Actors.Topology;

/// <summary>
/// One socket link of the lab, validated: a controller, a routing daemon or another engine,
/// reached over TCP, UDP or a Unix stream socket. Stream transports have exactly one of
/// <see cref="Connect"/> and <see cref="Listen"/>; UDP has at least one (both: bind there and
/// send to the other).
/// </summary>
/// <param name="Connect">Where the client side connects (UDP: where datagrams are sent).</param>
/// <param name="Listen">Where the server side listens (UDP: the bound address); TCP and UDP
/// listeners default to loopback.</param>
/// <param name="Namespace">The network namespace the socket is opened in; null is the engine's own.</param>
/// <param name="Allow">Source prefixes a listener accepts; empty accepts any.</param>
/// <param name="Key">Pre-shared key for the engine framing's challenge–response; null means none.</param>
/// <param name="Mtu">Largest packet sent over the link; null means the largest device MTU.</param>
/// <param name="SendQueue">Frame buffers of the pool the send queue may hold while the socket cannot take more
/// (and no more than the peer's share of the pool); frames beyond that are dropped and counted.</param>
public sealed record PeerSpec(
    string Name,
    PeerRole Role,
    PeerTransport Transport,
    PeerFraming Framing,
    EndPoint? Connect,
    EndPoint? Listen,
    string? Namespace,
    ImmutableArray<IPNetwork> Allow,
    string? Key,
    int? Mtu,
    TimeSpan ReconnectMin,
    TimeSpan ReconnectMax,
    TimeSpan Keepalive,
    TimeSpan DeadPeerTimeout,
    int SendQueue)
{
    /// <summary>
    /// How long frames may wait in the send queue without a byte going out before the link is
    /// closed: a peer that stops reading must not keep its share of the pool for as long as it
    /// stays connected.
    /// </summary>
    public TimeSpan StallTimeout { get; init; } = DefaultStallTimeout;

    /// <summary>
    /// The link carries wires, told apart by the DATA port field (an <c>engine</c>-framing link
    /// that <c>engine.wires</c> names): its frames keep their tags both ways. Set by the lab.
    /// </summary>
    public bool CarriesWireTags { get; init; }

    public static readonly TimeSpan DefaultReconnectMin = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan DefaultReconnectMax = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan DefaultKeepalive = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DefaultDeadPeerTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan DefaultStallTimeout = TimeSpan.FromSeconds(5);
    public const int DefaultSendQueue = 4096;
    public const int MaxSendQueue = 1_000_000;
    public const int MinKeyLength = 16;

    /// <summary>Peer names are the engine's own (routes and logs use them), not kernel interface names.</summary>
    public const int MaxNameBytes = 64;

    /// <summary>Redialling sooner than this is a busy loop; later than this looks like a hang.</summary>
    public static readonly TimeSpan MinReconnect = TimeSpan.FromMilliseconds(10);
    public static readonly TimeSpan MaxReconnect = TimeSpan.FromHours(1);
    public static readonly TimeSpan MinKeepalive = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaxKeepalive = TimeSpan.FromHours(1);
    public static readonly TimeSpan MinDeadPeerTimeout = TimeSpan.FromMilliseconds(300);
    public static readonly TimeSpan MaxDeadPeerTimeout = TimeSpan.FromDays(1);
    public static readonly TimeSpan MinStallTimeout = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaxStallTimeout = TimeSpan.FromDays(1);

    /// <summary>The client side: it dials, and redials with backoff when the link drops.</summary>
    public bool IsClient => Connect is not null && Listen is null;

    public override string ToString() => TopologyDescription.Describe(this);

    public bool Equals(PeerSpec? other) =>
        other is not null
        && Name == other.Name && Role == other.Role && Transport == other.Transport && Framing == other.Framing
        && Equals(Connect, other.Connect) && Equals(Listen, other.Listen) && Namespace == other.Namespace
        && Allow.SequenceEqual(other.Allow) && Key == other.Key && Mtu == other.Mtu
        && ReconnectMin == other.ReconnectMin && ReconnectMax == other.ReconnectMax
        && Keepalive == other.Keepalive && DeadPeerTimeout == other.DeadPeerTimeout && SendQueue == other.SendQueue
        && StallTimeout == other.StallTimeout;

    public override int GetHashCode() => HashCode.Combine(Name, Role, Transport, Framing, Connect, Listen);
}

/// <summary>What the far end is, which decides how its frames are treated.</summary>
public enum PeerRole
{
    /// <summary>An SDN controller: frames to it carry their ingress port; a frame from it with a port tag leaves through that port.</summary>
    Controller,
    /// <summary>A routing daemon's host (Quagga/FRR): an L3 link whose frames enter the router like a device's.</summary>
    Quagga,
    /// <summary>Another engine: an L3 link, one edge of a mesh of engines.</summary>
    Engine,
}

public enum PeerTransport
{
    Tcp,
    Udp,
    Unix,
}

public enum PeerFraming
{
    /// <summary>simpletun's wire format: a 2-byte big-endian length, then the packet (streams only).</summary>
    Length16,
    /// <summary>One packet per UDP datagram, as socat's TUN-to-UDP sends them (UDP only).</summary>
    Datagram,
    /// <summary>The native link protocol of docs/protocol.md: hello, authentication, keepalives, port tags.</summary>
    Engine,
}
