using Akka.Actor;
using Engine.Native.Reactor;
using Engine.Native.Sockets;

namespace Engine.Actors.Peers;

/// <summary>
/// Waits on the reactor for one non-blocking connect to finish, then hands the socket to the
/// owner (<see cref="Dialed"/>) or reports why it failed (<see cref="DialFailed"/>).
/// </summary>
internal sealed class Dialer : IReadinessHandler, IDisposable
{
    private readonly Reactor _reactor;
    private readonly NativeSocket _socket;
    private readonly IActorRef _owner;
    private readonly ulong _registration;
    private bool _done;

    public Dialer(Reactor reactor, NativeSocket socket, IActorRef owner)
    {
        _reactor = reactor;
        _socket = socket;
        _owner = owner;
        _registration = reactor.Register(socket.Handle, this);
        reactor.WatchWritable(socket.Handle, _registration, true);
    }

    public void OnWritable() => Finish();

    // An error or hang-up while connecting arrives here too.
    public void OnReadable() => Finish();

    private void Finish()
    {
        if (_done) return;
        _done = true;
        _reactor.Unregister(_socket.Handle, _registration);
        var errno = _socket.TakeError();
        if (errno == 0)
        {
            _owner.Tell(new Dialed(_socket));
            return;
        }
        _socket.Dispose();
        _owner.Tell(new DialFailed(System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)));
    }

    /// <summary>Abandons the attempt (the owner stopped).</summary>
    public void Dispose()
    {
        if (_done) return;
        _done = true;
        _reactor.Unregister(_socket.Handle, _registration);
        _socket.Dispose();
    }
}

internal sealed record Dialed(NativeSocket Socket);

internal sealed record DialFailed(string Reason);
