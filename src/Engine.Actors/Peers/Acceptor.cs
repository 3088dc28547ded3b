using Akka.Actor;
using Engine.Native;
using Engine.Native.Reactor;
using Engine.Native.Sockets;

namespace Engine.Actors.Peers;

/// <summary>
/// A peer's listening stream socket: takes each connection the kernel has waiting, closes the
/// ones from sources the allowlist refuses, and hands the rest to the owner as <see cref="Accepted"/>.
/// When the engine cannot take a connection (out of file descriptors, say) it stops watching the
/// socket and tells the owner (<see cref="AcceptPaused"/>), which resumes it later: the
/// connection stays queued, and a level-triggered socket would otherwise spin the reactor.
/// </summary>
internal sealed class Acceptor : IReadinessHandler, IDisposable
{
    private const int MaxAcceptsPerTurn = 16;

    private readonly Reactor _reactor;
    private readonly NativeSocket _listener;
    private readonly IActorRef _owner;
    private readonly AllowList _allow;
    private readonly byte[] _source = new byte[128];
    private ulong? _registration;
    private bool _closed;

    public Acceptor(Reactor reactor, NativeSocket listener, IActorRef owner, AllowList allow)
    {
        _reactor = reactor;
        _listener = listener;
        _owner = owner;
        _allow = allow;
        Resume();
    }

    /// <summary>Watches the socket again after <see cref="AcceptPaused"/>.</summary>
    public void Resume()
    {
        if (!_closed && _registration is null) _registration = _reactor.Register(_listener.Handle, this);
    }

    private void Pause()
    {
        if (_registration is { } token) _reactor.Unregister(_listener.Handle, token);
        _registration = null;
    }

    public void OnReadable()
    {
        for (var i = 0; i < MaxAcceptsPerTurn && !_closed; i++)
        {
            NativeSocket? socket;
            int length;
            try
            {
                socket = _listener.TryAccept(_source, out length, _listener.Description + " (accepted)");
            }
            catch (NativeException e)
            {
                Pause();
                _owner.Tell(new AcceptPaused(e.Message));
                return;
            }
            if (socket is null) return;

            var source = _source.AsSpan(0, length);
            var remote = SocketAddressBytes.DecodeIp(source)?.ToString() ?? "local socket";
            if (!_allow.Permits(source))
            {
                socket.Dispose();
                _owner.Tell(new ConnectionRefused(remote, "source not in the allowlist"));
                continue;
            }
            _owner.Tell(new Accepted(socket, remote));
        }
    }

    public void Dispose()
    {
        if (_closed) return;
        Pause();
        _closed = true;
        _listener.Dispose();
    }
}

internal sealed record Accepted(NativeSocket Socket, string Remote);

internal sealed record ConnectionRefused(string Remote, string Reason);

/// <summary>The listener could not take a connection and stopped watching until resumed.</summary>
internal sealed record AcceptPaused(string Reason);
