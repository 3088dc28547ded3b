using System.Buffers.Binary;

namespace Engine.Native.Netlink;

/// <summary>Walks the rtattrs that follow a fixed family header, checking each length before use.</summary>
internal ref struct RtAttributeReader
{
    private ReadOnlySpan<byte> _remaining;

    public RtAttributeReader(ReadOnlySpan<byte> attributes) => _remaining = attributes;

    public bool TryRead(out ushort type, out ReadOnlySpan<byte> value)
    {
        type = 0;
        value = default;
        if (_remaining.Length < RtAttributes.HeaderSize)
            return false;

        var length = BinaryPrimitives.ReadUInt16LittleEndian(_remaining);
        if (length < RtAttributes.HeaderSize || length > _remaining.Length)
        {
            _remaining = default;
            return false;
        }

        // The high bits of the type are NLA_F_NESTED / NLA_F_NET_BYTEORDER, not part of the number.
        type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(_remaining[2..]) & 0x3fff);
        value = _remaining[RtAttributes.HeaderSize..length];

        var next = NetlinkHeader.Align(length);
        _remaining = next >= _remaining.Length ? default : _remaining[next..];
        return true;
    }
}
