using System.Buffers.Binary;
using System.Text;

namespace Engine.Actors.OpenFlow;

/// <summary>
/// Builds OpenFlow messages one after another in one growing buffer, big-endian, each begun with
/// <see cref="Begin"/> and its length filled in by <see cref="End"/>. Control traffic only: the
/// data plane never writes here.
/// </summary>
public sealed class OfpWriter
{
    private byte[] _buffer = new byte[4096];
    private int _length;
    private int _messageStart = -1;

    /// <summary>The bytes written so far: whole messages once every <see cref="Begin"/> has its <see cref="End"/>.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    public int Length => _length;

    /// <summary>Forgets the first <paramref name="count"/> bytes (they were sent).</summary>
    public void Consume(int count)
    {
        Buffer.BlockCopy(_buffer, count, _buffer, 0, _length - count);
        _length -= count;
        if (_messageStart >= 0) _messageStart -= count;
    }

    public void Clear()
    {
        _length = 0;
        _messageStart = -1;
    }

    /// <summary>Starts a message: its header, the length filled in by <see cref="End"/>.</summary>
    public void Begin(OfpType type, uint xid)
    {
        if (_messageStart >= 0) throw new InvalidOperationException("a message is already open");
        _messageStart = _length;
        U8(OfpHeader.Version13).U8((byte)type).U16(0).U32(xid);
    }

    /// <summary>The open message's length so far.</summary>
    public int MessageLength => _length - _messageStart;

    /// <summary>Where the open message starts, for fields written after the fact (<see cref="PatchU16"/>).</summary>
    public int Position => _length;

    public void End()
    {
        var length = _length - _messageStart;
        if (length > OfpStreamSplitter.MaxMessage) throw new InvalidOperationException($"an OpenFlow message of {length} bytes");
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(_messageStart + 2), (ushort)length);
        _messageStart = -1;
    }

    /// <summary>Abandons the open message (it would not fit, or turned out wrong).</summary>
    public void Abandon()
    {
        _length = _messageStart;
        _messageStart = -1;
    }

    public OfpWriter U8(byte value)
    {
        Span(1)[0] = value;
        return this;
    }

    public OfpWriter U16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(Span(2), value);
        return this;
    }

    public OfpWriter U32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(Span(4), value);
        return this;
    }

    public OfpWriter U64(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(Span(8), value);
        return this;
    }

    public OfpWriter Zeros(int count)
    {
        Span(count).Clear();
        return this;
    }

    public OfpWriter Bytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Span(bytes.Length));
        return this;
    }

    /// <summary>A fixed-size, NUL-padded ASCII string (a port's name, the switch's description); cut to leave its NUL.</summary>
    public OfpWriter Text(string text, int size)
    {
        var field = Span(size);
        field.Clear();
        var count = Math.Min(text.Length, size - 1);
        Encoding.ASCII.GetBytes(text.AsSpan(0, count), field);
        return this;
    }

    /// <summary>Zeros up to the next multiple of 8 from <paramref name="start"/>.</summary>
    public OfpWriter PadTo8(int start) => Zeros((8 - (_length - start) % 8) % 8);

    public void PatchU16(int position, ushort value) => BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(position), value);

    private Span<byte> Span(int count)
    {
        if (_length + count > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }
}
