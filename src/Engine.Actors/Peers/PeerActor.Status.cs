using Engine.Actors.Control;
using Engine.Actors.Topology;

namespace Engine.Actors.Peers;

/// <summary>What a peer says of itself to the control socket.</summary>
public sealed partial class PeerActor
{
    private PortState State()
    {
        if (_link is { } link)
        {
            var heard = TimeSpan.FromMilliseconds(Environment.TickCount64 - link.LastReceived);
            return new PortState(link.IsUp ? "up" : link.IsClosed ? "down" : "handshake", link.Remote, heard);
        }
        if (_candidate is { } candidate) return new PortState("handshake", candidate.Remote);
        if (_dialer is not null || _opening is not null) return new PortState("connecting", _spec.Connect?.ToString());
        if (_acceptor is not null) return new PortState("listening");
        return new PortState("down", _spec.Connect?.ToString());
    }
}

/// <summary>Published on the event stream each time a peer's link comes up, for readiness (`run --wait-peer`).</summary>
public sealed record PeerLinkUp(string Peer);
