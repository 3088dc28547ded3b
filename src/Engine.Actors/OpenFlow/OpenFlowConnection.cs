using Akka.Actor;
using Engine.Actors.Topology;
using Engine.Native;
using Engine.Native.Reactor;
using Engine.Native.Sockets;

namespace Engine.Actors.OpenFlow;

/// <summary>
/// One TCP connection to a controller, on the reactor: what arrives is cut into messages for the
/// session, what the session writes is sent, the rest when the socket is writable again. A
/// length that lies closes it; so does a controller that leaves <see cref="MaxQueuedBytes"/>
/// unread. The owner hears of the end through <see cref="ChannelClosed"/>. Touched only on the
/// reactor thread (the channel actor runs there too).
/// A controller that reads its PACKET_INs too slowly loses PACKET_INs, not the connection (as Open
/// vSwitch bounds its packet-in queue): while <see cref="PacketInBudget"/> bytes or more wait
/// unsent, a new PACKET_IN is dropped and counted. Replies it asked for (stats, BARRIER, ECHO,
/// ERROR) still queue, up to <see cref="MaxQueuedBytes"/>.
/// A flood of PACKET_OUTs cannot starve the data plane: a turn takes at most
/// <see cref="MaxPacketOutsPerTurn"/> of them; the rest wait in the buffer (and behind them the
/// socket, which TCP then slows) for a later turn, and each turn cut so is counted.
/// </summary>
internal sealed unsafe class OpenFlowConnection : IReadinessHandler, IDisposable
{
    private const int ReceiveBufferSize = 2 * OfpStreamSplitter.MaxMessage + 4096;
    // Level-triggered: what is left after these reads brings the reactor back, after the data plane's turn.
    private const int MaxReceivesPerTurn = 8;
    public const int MaxQueuedBytes = 4 << 20;
    public const int MaxPacketOutsPerTurn = 64;

    private readonly Reactor _reactor;
    private readonly NativeSocket _socket;
    private readonly OpenFlowSession _session;
    private readonly IActorRef _owner;
    private readonly OpenFlowCounters _counters;
    private readonly IoVectors _vectors = new(1);
    private readonly byte[] _received = new byte[ReceiveBufferSize];
    private readonly ulong _registration;
    private readonly Action _resume;
    private int _start, _end;
    private bool _watchingWritable;
    // Set while a turn's PACKET_OUTs are spent: the buffer holds more, and no more is read until a later turn takes them.
    private bool _held;
    private int _turnsCut;
    private long _packetInsDropped;

    /// <param name="packetInBudget">Bytes unsent past which PACKET_INs are dropped (<see cref="OpenFlowSpec.PacketInBudgetKib"/>).</param>
    public OpenFlowConnection(Reactor reactor, NativeSocket socket, OpenFlowSession session, IActorRef owner, OpenFlowCounters counters, int packetInBudget)
    {
        PacketInBudget = packetInBudget;
        _reactor = reactor;
        _socket = socket;
        _session = session;
        _owner = owner;
        _counters = counters;
        _registration = reactor.Register(socket.Handle, this);
        _resume = Resume;
    }

    public bool IsClosed { get; private set; }

    public int PacketInBudget { get; }

    /// <summary>When the controller last sent anything, on Environment.TickCount64.</summary>
    public long LastHeardTicks { get; private set; } = Environment.TickCount64;

    public void OnReadable()
    {
        if (IsClosed || _held) return;
        try
        {
            for (var turn = 0; turn < MaxReceivesPerTurn; turn++)
            {
                if (_received.Length - _end < OfpStreamSplitter.MaxMessage) Compact();
                var n = _socket.Receive(_received.AsSpan(_end));
                if (n == NativeSocket.WouldBlock) break;
                if (n == 0)
                {
                    Close("closed by the controller");
                    return;
                }
                _end += n;
                LastHeardTicks = Environment.TickCount64;
                // Every whole message is taken (or held), so what stays is shorter than one and the next read has room for a whole one.
                if (!Parse()) return;
                if (_held) break;
            }
            Flush();
        }
        catch (NativeException e)
        {
            Close(e.Message);
        }
    }

    /// <summary>The turns cut at the PACKET_OUT bound since the last call, for the channel's (rate-limited) log line.</summary>
    public int TakeTurnsCut()
    {
        var turns = _turnsCut;
        _turnsCut = 0;
        return turns;
    }

    /// <summary>The PACKET_INs dropped for the budget since the last call, for the channel's (rate-limited) log line.</summary>
    public long TakePacketInsDropped()
    {
        var dropped = _packetInsDropped;
        _packetInsDropped = 0;
        return dropped;
    }

    /// <summary>Sends a PACKET_IN the controller asked for, or drops and counts it when the connection already has its budget unsent.</summary>
    public void SendPacketIn(PacketInRequest packetIn)
    {
        if (IsClosed || !_session.Takes(packetIn)) return;
        if (_session.Output.Length >= PacketInBudget)
        {
            _counters.AddPacketInDropped();
            _packetInsDropped++;
            return;
        }
        _session.SendPacketIn(packetIn);
        _counters.AddPacketInSent();
        Flush();
    }

    /// <summary>A later turn: the held messages get a new budget of PACKET_OUTs.</summary>
    private void Resume()
    {
        if (IsClosed) return;
        _held = false;
        if (Parse()) Flush();
    }

    /// <summary>Hands the session every whole message, or as many as a turn's PACKET_OUTs allow; false when the connection closed.</summary>
    private bool Parse()
    {
        var packetOuts = 0;
        while (true)
        {
            switch (OfpStreamSplitter.Next(_received.AsSpan(_start, _end - _start), out var length))
            {
                case OfpSplit.NeedMore:
                    return true;
                case OfpSplit.LyingLength:
                    _counters.AddLyingLength();
                    Close($"a message header gives a length of {length} bytes, shorter than the header: the stream cannot be followed");
                    return false;
            }
            if (_received[_start + 1] == (byte)OfpType.PacketOut && ++packetOuts > MaxPacketOutsPerTurn)
            {
                _held = true;
                _counters.AddPacketOutTurnCut();
                _turnsCut++;
                _reactor.Post(_resume);
                return true;
            }
            _counters.AddReceived();
            var errorsBefore = _session.ErrorsSent;
            var reason = _session.Receive(_received.AsSpan(_start, length), Environment.TickCount64);
            _counters.AddErrorsSent(_session.ErrorsSent - errorsBefore);
            _start += length;
            if (reason is not null)
            {
                Flush();
                Close(reason);
                return false;
            }
        }
    }

    private void Compact()
    {
        var pending = _end - _start;
        if (pending > 0 && _start > 0) Buffer.BlockCopy(_received, _start, _received, 0, pending);
        _start = 0;
        _end = pending;
    }

    public void OnWritable() => Flush();

    /// <summary>Sends what the session wrote; what the socket will not take now waits for writability.</summary>
    public void Flush()
    {
        if (IsClosed) return;
        var output = _session.Output;
        try
        {
            while (output.Length > 0)
            {
                long sent;
                fixed (byte* bytes = output.Written)
                {
                    _vectors.Set(0, bytes, output.Length);
                    sent = _socket.Send(_vectors, 0, 1);
                }
                if (sent == NativeSocket.WouldBlock) break;
                output.Consume((int)sent);
            }
        }
        catch (NativeException e)
        {
            Close(e.Message);
            return;
        }
        if (output.Length > MaxQueuedBytes)
        {
            Close($"the controller left {output.Length} bytes unread");
            return;
        }
        var blocked = output.Length > 0;
        if (blocked == _watchingWritable) return;
        _watchingWritable = blocked;
        _reactor.WatchWritable(_socket.Handle, _registration, blocked);
    }

    private void Close(string reason)
    {
        if (IsClosed) return;
        Dispose();
        _owner.Tell(new ChannelClosed(this, reason));
    }

    public void Dispose()
    {
        if (IsClosed) return;
        IsClosed = true;
        _reactor.Unregister(_socket.Handle, _registration);
        _socket.Dispose();
        _vectors.Dispose();
    }
}

internal sealed record ChannelClosed(OpenFlowConnection Connection, string Reason);
