using Akka.Event;
using Engine.Actors.Topology;

namespace Engine.Actors.Peers;

/// <summary>The listening side of a peer: binding, taking connections, and a newcomer taking over.</summary>
public sealed partial class PeerActor
{
    /// <summary>How long a listener that could not take a connection waits before it tries again.</summary>
    private static readonly TimeSpan AcceptRetry = TimeSpan.FromMilliseconds(500);

    /// <summary>Binds the listener; a port that is taken is a lab that cannot run, so this throws.</summary>
    private void Listen()
    {
        var endpoint = _spec.Listen!;
        var socket = PeerSockets.Open(_spec, endpoint, PeerSockets.Describe(_spec, endpoint, "listening on"));
        try
        {
            socket.Bind(endpoint);
            socket.Listen(backlog: 16);
            _acceptor = new Acceptor(_context.Reactor, socket, Self, _allow);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        _log.Info("peer {Peer}: listening on {Endpoint} ({Transport}, {Framing})", _spec.Name, endpoint,
            PeerNames.Of(_spec.Transport), PeerNames.Of(_spec.Framing));
    }

    private void OnAccepted(Accepted accepted)
    {
        PeerSockets.Tune(_spec, accepted.Socket);
        var link = new StreamLink(accepted.Socket, _context, accepted.Remote);
        if (_link is { IsClosed: false, IsUp: true } && _spec.Framing == Topology.PeerFraming.Engine)
        {
            // The working link stays until the newcomer proves itself.
            _candidate?.Close("replaced by a newer connection", tellOwner: false);
            _candidate = link;
            link.Start();
            return;
        }
        if (_link is { IsClosed: false } old)
        {
            LogAttempt(warning: false, "peer {Peer}: new connection from {Remote} replaces the one from {Old}", accepted.Remote, old.Remote);
            old.Close("replaced by a newer connection", tellOwner: false);
            _linkState.Down();
        }
        StartLink(link);
    }

    /// <summary>The newer connection completed its handshake: it takes over from the old one.</summary>
    private void Promote(PeerLink candidate)
    {
        LogAttempt(warning: false, "peer {Peer}: {Remote} replaces {Old}", candidate.Remote, _link?.Remote ?? "nothing");
        _link?.Close("replaced by a newer connection", tellOwner: false);
        _link = candidate;
        _candidate = null;
        _backoff.Reset();
        _linkState.Up(candidate);
    }

    private sealed class ResumeAccepting
    {
        public static readonly ResumeAccepting Instance = new();
    }
}
