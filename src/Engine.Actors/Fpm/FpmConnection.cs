using System.Buffers;
using Akka.Actor;
using Engine.Native;
using Engine.Native.Reactor;
using Engine.Native.Sockets;

namespace Engine.Actors.Fpm;

/// <summary>
/// zebra's FPM connection on the reactor: each readable turn receives up to <see cref="ChunkBytes"/>
/// into a pooled buffer and hands it to the server actor (<see cref="FpmBytes"/>), which decodes it
/// on its own thread and returns the buffer: a full table is 84 MB, received without a copy each.
/// At most <see cref="MaxUnacknowledged"/> chunks are in flight: past that it stops watching the
/// socket until the server acknowledges one, so zebra's full-table resync waits in the socket
/// (TCP pushes back) rather than in memory. Everything but the constructor runs on the reactor
/// thread; the server reaches it through <see cref="Reactor.Post(Action)"/>. The engine never
/// writes: zebra ignores what it is sent.
/// </summary>
internal sealed class FpmConnection : IReadinessHandler
{
    public const int ChunkBytes = 64 * 1024;
    public const int MaxUnacknowledged = 4;

    private readonly Reactor _reactor;
    private readonly NativeSocket _socket;
    private readonly IActorRef _owner;
    private ulong? _registration;
    private int _unacknowledged;
    private bool _closed;

    public FpmConnection(Reactor reactor, NativeSocket socket, IActorRef owner, int id)
    {
        _reactor = reactor;
        _socket = socket;
        _owner = owner;
        Id = id;
    }

    public int Id { get; }

    /// <summary>Starts watching the socket. On the reactor thread.</summary>
    public void Start()
    {
        if (!_closed) Watch();
    }

    public void OnReadable()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        int received;
        try
        {
            received = _socket.Receive(buffer.AsSpan(0, ChunkBytes));
        }
        catch (NativeException e)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            Close(e.Message, tellOwner: true);
            return;
        }
        if (received <= 0) ArrayPool<byte>.Shared.Return(buffer);
        if (received == NativeSocket.WouldBlock) return;
        if (received == 0)
        {
            Close("closed by zebra", tellOwner: true);
            return;
        }
        _owner.Tell(new FpmBytes(Id, buffer, received));
        if (++_unacknowledged >= MaxUnacknowledged) Unwatch();
    }

    /// <summary>The server has decoded a chunk. On the reactor thread.</summary>
    public void Acknowledge()
    {
        _unacknowledged--;
        if (!_closed && _registration is null && _unacknowledged < MaxUnacknowledged) Watch();
    }

    /// <summary>Closes the socket; the owner hears of it only when it did not ask. On the reactor thread.</summary>
    public void Close(string reason, bool tellOwner)
    {
        if (_closed) return;
        _closed = true;
        Unwatch();
        _socket.Dispose();
        if (tellOwner) _owner.Tell(new FpmConnectionClosed(Id, reason));
    }

    private void Watch() => _registration = _reactor.Register(_socket.Handle, this);

    private void Unwatch()
    {
        if (_registration is { } token) _reactor.Unregister(_socket.Handle, token);
        _registration = null;
    }
}

/// <summary>
/// <paramref name="Count"/> bytes zebra sent on connection <paramref name="Connection"/>, in order, at
/// the start of a buffer rented from the shared pool: whoever takes the message returns it.
/// </summary>
internal sealed record FpmBytes(int Connection, byte[] Buffer, int Count)
{
    public ReadOnlySpan<byte> Bytes => Buffer.AsSpan(0, Count);

    public void Return() => ArrayPool<byte>.Shared.Return(Buffer);
}

/// <summary>zebra closed connection <paramref name="Connection"/>, or the socket failed.</summary>
internal sealed record FpmConnectionClosed(int Connection, string Reason);
