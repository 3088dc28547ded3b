using System.Buffers.Binary;

namespace Engine.Actors.Fpm;

/// <summary>
/// Walks the attributes (struct rtattr: u16 length with the 4-byte header, u16 type, value, padding
/// to 4) that follow a message's fixed header, or nest inside an attribute. Each length is checked
/// against the bytes left before the value is sliced; after a malformed one nothing more is read.
/// </summary>
public ref struct NetlinkAttributeWalker
{
    public const int HeaderSize = 4;

    private ReadOnlySpan<byte> _remaining;

    public NetlinkAttributeWalker(ReadOnlySpan<byte> attributes) => _remaining = attributes;

    /// <summary>The next attribute; its type has the nested and byte-order flag bits cleared.</summary>
    public NetlinkAttributeStatus Next(out ushort type, out ReadOnlySpan<byte> value)
    {
        type = 0;
        value = default;
        var status = NetlinkRecords.Measure(_remaining, HeaderSize, out var length);
        if (status != NetlinkAttributeStatus.Attribute)
        {
            _remaining = default;
            return status;
        }
        type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(_remaining[2..]) & Rtnetlink.AttributeTypeMask);
        value = _remaining[HeaderSize..length];
        _remaining = NetlinkRecords.After(_remaining, length);
        return status;
    }
}
