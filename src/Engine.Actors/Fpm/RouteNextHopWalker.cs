using System.Buffers.Binary;

namespace Engine.Actors.Fpm;

/// <summary>
/// Walks the struct rtnexthop entries of an RTA_MULTIPATH value: u16 length (the 8-byte header and
/// the entry's own attributes), u8 flags, u8 hops (the weight - 1, as the kernel reads it), s32
/// ifindex, then attributes such as RTA_GATEWAY; each entry is padded to 4 bytes.
/// </summary>
public ref struct RouteNextHopWalker
{
    public const int HeaderSize = 8;

    private ReadOnlySpan<byte> _remaining;

    public RouteNextHopWalker(ReadOnlySpan<byte> multipath) => _remaining = multipath;

    public NetlinkAttributeStatus Next(out int ifIndex, out int weight, out NetlinkAttributeWalker attributes)
    {
        ifIndex = 0;
        weight = 0;
        attributes = default;
        var status = NetlinkRecords.Measure(_remaining, HeaderSize, out var length);
        if (status != NetlinkAttributeStatus.Attribute)
        {
            _remaining = default;
            return status;
        }
        weight = _remaining[3] + 1;
        ifIndex = BinaryPrimitives.ReadInt32LittleEndian(_remaining[4..]);
        attributes = new NetlinkAttributeWalker(_remaining[HeaderSize..length]);
        _remaining = NetlinkRecords.After(_remaining, length);
        return status;
    }
}
