using System.Buffers.Binary;

namespace Engine.Native.Netlink;

/// <summary>One message of a netlink datagram; the payload starts after nlmsghdr.</summary>
internal readonly ref struct NetlinkMessage
{
    public NetlinkMessage(ushort type, ushort flags, uint sequence, ReadOnlySpan<byte> payload)
    {
        Type = type;
        Flags = flags;
        Sequence = sequence;
        Payload = payload;
    }

    public ushort Type { get; }
    public ushort Flags { get; }
    public uint Sequence { get; }
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>The errno of an NLMSG_ERROR or NLMSG_DONE payload (0 for an acknowledgement).</summary>
    public int ErrorCode =>
        Payload.Length >= NetlinkHeader.ErrorCodeSize ? -BinaryPrimitives.ReadInt32LittleEndian(Payload) : 0;
}

/// <summary>
/// Walks the messages of one received datagram. Lengths come from the kernel but are still
/// checked before slicing; a truncated or inconsistent message ends the walk.
/// </summary>
internal ref struct NetlinkMessageReader
{
    private ReadOnlySpan<byte> _remaining;

    public NetlinkMessageReader(ReadOnlySpan<byte> datagram) => _remaining = datagram;

    public bool TryRead(out NetlinkMessage message)
    {
        message = default;
        if (_remaining.Length < NetlinkHeader.Size)
            return false;

        var length = BinaryPrimitives.ReadUInt32LittleEndian(_remaining);
        if (length < NetlinkHeader.Size || length > (uint)_remaining.Length)
        {
            _remaining = default;
            return false;
        }

        message = new NetlinkMessage(
            BinaryPrimitives.ReadUInt16LittleEndian(_remaining[NetlinkHeader.TypeOffset..]),
            BinaryPrimitives.ReadUInt16LittleEndian(_remaining[NetlinkHeader.FlagsOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(_remaining[NetlinkHeader.SequenceOffset..]),
            _remaining[NetlinkHeader.Size..(int)length]);

        var next = NetlinkHeader.Align((int)length);
        _remaining = next >= _remaining.Length ? default : _remaining[next..];
        return true;
    }
}
