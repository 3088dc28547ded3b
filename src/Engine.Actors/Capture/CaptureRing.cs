namespace Engine.Actors.Capture;

/// <summary>
/// The frames one capture has taken and its reader has not: a byte ring of fixed size, filled by
/// the data-plane thread (<see cref="Offer"/>) and drained by the capture's session. A full ring
/// takes nothing more until it is drained: the frame is counted as <see cref="Lost"/>, never
/// held up. Copying a frame in allocates nothing.
/// </summary>
public sealed class CaptureRing(int capacity)
{
    private const int RecordHeader = 16; // timestamp (8), length (4), direction (2), note (2)

    private readonly byte[] _ring = new byte[capacity];
    private readonly object _gate = new();
    private int _head; // next byte to write
    private int _tail; // next byte to read
    private int _used;
    private long _lost;

    /// <summary>Frames that found the ring full.</summary>
    public long Lost => Interlocked.Read(ref _lost);

    /// <summary>Copies <paramref name="frame"/> in, stamped now, or counts it lost when it does not fit.</summary>
    /// <param name="note">What else the capture keeps of the frame (a drop's reason); 0 for nothing.</param>
    public void Offer(ReadOnlySpan<byte> frame, CaptureDirection direction, ushort note = 0)
    {
        var timestamp = DateTime.UtcNow.Ticks;
        lock (_gate)
        {
            if (_ring.Length - _used < RecordHeader + frame.Length)
            {
                _lost++;
                return;
            }
            Span<byte> header = stackalloc byte[RecordHeader];
            BitConverter.TryWriteBytes(header, timestamp);
            BitConverter.TryWriteBytes(header[8..], frame.Length);
            BitConverter.TryWriteBytes(header[12..], (ushort)direction);
            BitConverter.TryWriteBytes(header[14..], note);
            Write(header);
            Write(frame);
        }
    }

    /// <summary>Hands each frame waiting, oldest first, to <paramref name="take"/>; returns how many.</summary>
    public int Drain(CaptureFrameHandler take, byte[] scratch)
    {
        var taken = 0;
        Span<byte> header = stackalloc byte[RecordHeader];
        while (true)
        {
            long timestamp;
            int length;
            CaptureDirection direction;
            ushort note;
            lock (_gate)
            {
                if (_used == 0) return taken;
                Read(header);
                timestamp = BitConverter.ToInt64(header);
                length = BitConverter.ToInt32(header[8..]);
                direction = (CaptureDirection)BitConverter.ToUInt16(header[12..]);
                note = BitConverter.ToUInt16(header[14..]);
                Read(scratch.AsSpan(0, length));
            }
            take(new DateTime(timestamp, DateTimeKind.Utc), scratch.AsSpan(0, length), direction, note);
            taken++;
        }
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        var first = Math.Min(bytes.Length, _ring.Length - _head);
        bytes[..first].CopyTo(_ring.AsSpan(_head));
        bytes[first..].CopyTo(_ring);
        _head = (_head + bytes.Length) % _ring.Length;
        _used += bytes.Length;
    }

    private void Read(Span<byte> bytes)
    {
        var first = Math.Min(bytes.Length, _ring.Length - _tail);
        _ring.AsSpan(_tail, first).CopyTo(bytes);
        _ring.AsSpan(0, bytes.Length - first).CopyTo(bytes[first..]);
        _tail = (_tail + bytes.Length) % _ring.Length;
        _used -= bytes.Length;
    }
}

/// <summary>Which way a captured frame went, seen from the port (pcapng's epb_flags).</summary>
public enum CaptureDirection
{
    /// <summary>The engine read it from the port.</summary>
    Inbound = 1,

    /// <summary>The engine sent it out of the port.</summary>
    Outbound = 2,
}

public delegate void CaptureFrameHandler(DateTime time, ReadOnlySpan<byte> frame, CaptureDirection direction, ushort note);
