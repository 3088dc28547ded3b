using Engine.Actors.Buffers;
using Engine.Native;
using Engine.Native.Interop;
using Engine.Native.Sockets;

namespace Engine.Actors.Peers;

/// <summary>
/// Sends a batch of frames over a UDP socket, one datagram each, in as few sendmmsg calls as
/// the socket takes: each run of frames of one length (the last may be shorter) goes as one
/// UDP_SEGMENT message, which the kernel cuts into datagrams after crossing its stack once.
/// A connected socket's path MTU (<see cref="FitPath"/>) bounds the segments from the start.
/// What the path refuses it learns from the refusal: segments too big for its MTU (EMSGSIZE;
/// EINVAL before Linux 6.x) go one per send from then on, the limit taken from the path MTU
/// the kernel knows by then (an ICMP "fragmentation needed" lowers it) where the socket has
/// one; and a path that cannot segment at all (EIO: no checksum offload on the way out) gets
/// no segmented sends. Each change is told once through the notice callback.
/// </summary>
internal sealed unsafe class SegmentedSender : IDisposable
{
    /// <summary>The bytes of one UDP datagram over IPv4: a segmented send must fit one.</summary>
    public const int MaxSegmentedBytes = 65507;

    // The kernel takes at most 64 datagrams per segmented send (UDP_MAX_SEGMENTS before 6.x).
    private const int MaxSegments = 64;

    private readonly NativeSocket _socket;
    private readonly DatagramVectors _vectors;
    private readonly int[] _framesInMessage;
    private readonly Action<string> _notice;
    private int _largestSegment = MaxSegmentedBytes;

    public SegmentedSender(NativeSocket socket, int batchCapacity, Action<string> notice)
    {
        _socket = socket;
        _vectors = new DatagramVectors(batchCapacity);
        _framesInMessage = new int[batchCapacity];
        _notice = notice;
    }

    /// <summary>
    /// Bounds segments by the path MTU of a connected socket, so that the first segmented send
    /// already fits; larger datagrams go one per send. Nothing to do on loopback (64 KiB).
    /// </summary>
    public void FitPath()
    {
        if (_socket.UdpPath() is not { } path || path.LargestPayload >= _largestSegment) return;
        _largestSegment = path.LargestPayload;
        _notice($"path MTU {path.Mtu}: datagrams over {path.LargestPayload} bytes go one per send");
    }

    /// <summary>False once the path refused segmented sends altogether.</summary>
    public bool Segmenting { get; private set; } = true;

    /// <summary>
    /// Sends every frame of <paramref name="batch"/> to <paramref name="destination"/> (a
    /// sockaddr; empty on a connected socket). Returns how many went: fewer when the socket is
    /// full or the kernel refused a send. The batch stays the caller's.
    /// </summary>
    public int Send(FrameBatch batch, ReadOnlySpan<byte> destination)
    {
        for (var i = 0; i < batch.Count; i++)
            _vectors.SetPiece(i, PeerLinkAddress.Of(batch, i), batch.Frame(i).Length);
        var sent = SendFrom(batch, 0, destination, out var refusal, out var refusedSize);
        if (refusal is not null && Segmenting && refusedSize > 0 && Relent(refusal, refusedSize))
            sent += SendFrom(batch, sent, destination, out _, out _);
        return sent;
    }

    /// <summary>Learns from a refused segmented send of <paramref name="size"/>-byte segments; returns whether to resend.</summary>
    private bool Relent(NativeException refusal, int size)
    {
        switch (refusal.Errno)
        {
            case Errno.EMSGSIZE or Errno.EINVAL when size > 1:
                _largestSegment = _socket.UdpPath() is { } path && path.LargestPayload < size ? path.LargestPayload : size - 1;
                _notice($"segments of {size} bytes exceed the path's MTU; datagrams over {_largestSegment} bytes go one per send");
                return true;
            case Errno.EIO or Errno.EINVAL:
                Segmenting = false;
                _notice($"the path refuses segmented UDP sends ({refusal.Message}); sending one datagram per message");
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// Sends the frames from <paramref name="first"/> on; returns how many went. A refusal
    /// other than the peer being away is returned in <paramref name="refusal"/>, with the
    /// segment size of the refused message (0 if it was a single datagram).
    /// </summary>
    private int SendFrom(FrameBatch batch, int first, ReadOnlySpan<byte> destination, out NativeException? refusal, out int refusedSegmentSize)
    {
        refusal = null;
        refusedSegmentSize = 0;
        var messages = PlanMessages(batch, first, destination);
        int sentMessages = 0, sentFrames = 0;
        try
        {
            while (sentMessages < messages)
            {
                var n = _socket.SendBatch(_vectors, sentMessages, messages - sentMessages);
                if (n == NativeSocket.WouldBlock) break;
                for (var m = sentMessages; m < sentMessages + n; m++) sentFrames += _framesInMessage[m];
                sentMessages += n;
            }
        }
        catch (NativeException e) when (e.Errno is Errno.ECONNREFUSED or Errno.ENETUNREACH or Errno.EHOSTUNREACH)
        {
            // The peer's port is closed (an ICMP error came back): it is away, the socket is fine.
        }
        catch (NativeException e)
        {
            refusal = e;
            if (_framesInMessage[sentMessages] > 1) refusedSegmentSize = batch.Frame(first + sentFrames).Length;
        }
        return sentFrames;
    }

    /// <summary>Groups the frames from <paramref name="first"/> on into messages; returns how many.</summary>
    private int PlanMessages(FrameBatch batch, int first, ReadOnlySpan<byte> destination)
    {
        var messages = 0;
        for (var i = first; i < batch.Count; messages++)
        {
            int start = i, size = batch.Frame(i).Length, total = size;
            i++;
            while (Segmenting && size <= _largestSegment && i < batch.Count && i - start < MaxSegments)
            {
                var length = batch.Frame(i).Length;
                if (length > size || total + length > MaxSegmentedBytes) break;
                total += length;
                i++;
                if (length < size) break;
            }
            _vectors.SetSegments(messages, start, i - start, size);
            _vectors.SetDestination(messages, destination);
            _framesInMessage[messages] = i - start;
        }
        return messages;
    }

    public void Dispose() => _vectors.Dispose();
}
