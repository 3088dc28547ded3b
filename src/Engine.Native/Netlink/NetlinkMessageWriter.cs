using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Engine.Native.Netlink;

/// <summary>
/// Builds one netlink request in a caller-owned buffer: header, one fixed family header, then
/// attributes, each padded with zeros to 4 bytes. Netlink is host byte order, hence the
/// little-endian writes (every platform the engine runs on is little-endian).
/// </summary>
internal ref struct NetlinkMessageWriter
{
    private readonly Span<byte> _buffer;
    private readonly ushort _type;
    private readonly ushort _flags;
    private int _length;

    public NetlinkMessageWriter(Span<byte> buffer, ushort type, ushort flags)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("netlink messages are written little-endian");
        _buffer = buffer;
        _type = type;
        _flags = flags;
        _length = NetlinkHeader.Size;
        _buffer[..NetlinkHeader.Size].Clear();
    }

    public readonly int Length => _length;

    public void WriteLinkHeader(byte family, int index, uint flags, uint change)
    {
        var header = Reserve(RtMessages.IfInfoSize);
        header[0] = family;
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], index);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], change);
    }

    public void WriteAddressHeader(byte family, byte prefixLength, byte flags, byte scope, int index)
    {
        var header = Reserve(RtMessages.IfAddrSize);
        header[0] = family;
        header[1] = prefixLength;
        header[2] = flags;
        header[3] = scope;
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], index);
    }

    public void WriteRouteHeader(byte family, byte destinationLength, byte table, byte protocol, byte scope, byte type)
    {
        var header = Reserve(RtMessages.RtSize);
        header[0] = family;
        header[1] = destinationLength;
        header[4] = table;
        header[5] = protocol;
        header[6] = scope;
        header[7] = type;
    }

    public void AddAttribute(ushort type, uint value) =>
        BinaryPrimitives.WriteUInt32LittleEndian(BeginAttribute(type, sizeof(uint)), value);

    /// <summary>A NUL-terminated string attribute, as the kernel expects for names.</summary>
    public void AddAttribute(ushort type, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        var destination = BeginAttribute(type, length + 1);
        Encoding.UTF8.GetBytes(value, destination);
        destination[length] = 0;
    }

    /// <summary>The 4 or 16 address bytes in network order.</summary>
    public void AddAttribute(ushort type, IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
            throw new ArgumentException($"cannot encode address {address}", nameof(address));
        bytes[..written].CopyTo(BeginAttribute(type, written));
    }

    /// <summary>Raw bytes as they are: a link-layer address, say.</summary>
    public void AddAttribute(ushort type, ReadOnlySpan<byte> value) => value.CopyTo(BeginAttribute(type, value.Length));

    /// <summary>Writes the header now that the length is known; the message is the returned span.</summary>
    public readonly ReadOnlySpan<byte> Finish(uint sequence, ushort extraFlags)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer[NetlinkHeader.LengthOffset..], (uint)_length);
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer[NetlinkHeader.TypeOffset..], _type);
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer[NetlinkHeader.FlagsOffset..], (ushort)(_flags | extraFlags));
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer[NetlinkHeader.SequenceOffset..], sequence);
        // Port 0: the kernel fills in this socket's port id.
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer[NetlinkHeader.PortOffset..], 0);
        return _buffer[.._length];
    }

    private Span<byte> BeginAttribute(ushort type, int valueLength)
    {
        var total = RtAttributes.HeaderSize + valueLength;
        if (total > ushort.MaxValue)
            throw new ArgumentException($"netlink attribute {type} is too long ({valueLength} bytes)");
        var attribute = Reserve(total);
        BinaryPrimitives.WriteUInt16LittleEndian(attribute, (ushort)total);
        BinaryPrimitives.WriteUInt16LittleEndian(attribute[2..], type);
        return attribute[RtAttributes.HeaderSize..];
    }

    /// <summary>Claims the next aligned region, zeroed so padding and reserved fields are clean.</summary>
    private Span<byte> Reserve(int length)
    {
        var aligned = NetlinkHeader.Align(length);
        if (_length + aligned > _buffer.Length)
            throw new InvalidOperationException(
                $"netlink request does not fit its {_buffer.Length}-byte buffer");
        var region = _buffer.Slice(_length, aligned);
        region.Clear();
        _length += aligned;
        return region[..length];
    }
}
