using System.Buffers.Binary;

namespace Engine.Actors.Fpm;

/// <summary>
/// Cuts one FPM connection's byte stream into frames. The stream arrives in pieces of any size
/// (a frame split across reads, several frames in one read): <see cref="Append"/> each piece as it
/// comes, then call <see cref="Next"/> until it says <see cref="FpmFrameStatus.NeedMore"/>. A frame
/// header that cannot be right closes the stream for good: nothing after it is framed.
/// </summary>
public sealed class FpmFrameReader
{
    // Two whole frames: a read rarely holds more before they are taken, so the buffer seldom grows.
    private const int InitialCapacity = 2 * FpmFrameHeader.MaxLength;

    private byte[] _buffer = new byte[InitialCapacity];
    private int _start;
    private int _end;

    /// <summary>Set once the stream is broken; the reader then yields nothing more.</summary>
    public FpmCloseReason? CloseReason { get; private set; }

    /// <summary>Bytes held that are not yet part of a whole frame.</summary>
    public int Buffered => _end - _start;

    /// <summary>Adds the next piece of the stream. Frames returned before are no longer valid.</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (CloseReason is not null || bytes.IsEmpty)
            return;
        if (_buffer.Length - _end < bytes.Length)
            MakeRoom(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_end));
        _end += bytes.Length;
    }

    /// <summary>
    /// The next whole frame's netlink payload (the bytes after its header), valid until the next
    /// <see cref="Append"/>.
    /// </summary>
    public FpmFrameStatus Next(out ReadOnlySpan<byte> payload)
    {
        payload = default;
        if (CloseReason is not null)
            return FpmFrameStatus.Close;
        var held = _buffer.AsSpan(_start, _end - _start);
        if (held.Length < FpmFrameHeader.Size)
            return FpmFrameStatus.NeedMore;

        if (held[FpmFrameHeader.VersionOffset] != FpmFrameHeader.Version)
            return Close(FpmCloseReason.WrongVersion);
        if (held[FpmFrameHeader.TypeOffset] != FpmFrameHeader.TypeNetlink)
            return Close(FpmCloseReason.WrongType);
        int length = BinaryPrimitives.ReadUInt16BigEndian(held[FpmFrameHeader.LengthOffset..]);
        if (length < FpmFrameHeader.Size)
            return Close(FpmCloseReason.LengthShorterThanHeader);
        if (held.Length < length)
            return FpmFrameStatus.NeedMore;

        payload = held[FpmFrameHeader.Size..length];
        _start += length;
        return FpmFrameStatus.Frame;
    }

    private FpmFrameStatus Close(FpmCloseReason reason)
    {
        CloseReason = reason;
        _start = _end = 0;
        return FpmFrameStatus.Close;
    }

    private void MakeRoom(int incoming)
    {
        var held = _end - _start;
        if (_buffer.Length - held < incoming)
        {
            var larger = new byte[Math.Max(_buffer.Length * 2, held + incoming)];
            _buffer.AsSpan(_start, held).CopyTo(larger);
            _buffer = larger;
        }
        else
        {
            _buffer.AsSpan(_start, held).CopyTo(_buffer);
        }
        _start = 0;
        _end = held;
    }
}
