using System.Buffers.Binary;

namespace Engine.Actors.OpenFlow;

/// <summary>
/// The group multipart replies (spec section 7.3.5.9 to 7.3.5.11): GROUP (each group's and
/// bucket's packets and bytes, and how many flows use it), GROUP_DESC (type and buckets),
/// GROUP_FEATURES; and the meter ones of a switch without meters: METER_FEATURES with
/// max_meter 0, METER and METER_CONFIG empty.
/// </summary>
public static class OfpGroupStats
{
    private const int GroupStatsFixed = 40, BucketStatsSize = 16, GroupDescFixed = 8, BucketFixed = 16;
    private const int GroupFeaturesSize = 40, MeterFeaturesSize = 16;
    // ofp_group_capabilities: SELECT_WEIGHT and SELECT_LIVENESS (SELECT's buckets have weights; fast failover watches ports).
    private const uint GroupCapabilities = 1 | 2;
    // The actions a bucket may hold, as bits of their types: output, push and pop VLAN, dec_nw_ttl, set_field.
    private const uint BucketActions = 1u << 0 | 1u << 17 | 1u << 18 | 1u << 24 | 1u << 25;

    /// <summary>Called with the flow table locked.</summary>
    public static OfpError? Answer(OfpMultipartType type, ReadOnlySpan<byte> body, uint xid, OpenFlowFlowTable table, OfpWriter writer, long nowTicks)
    {
        if (type == OfpMultipartType.Group ? body.Length != 8 : !body.IsEmpty) return OfpError.BadLength;
        var reply = new OfpMultipartWriter(writer, xid, type);
        switch (type)
        {
            case OfpMultipartType.Group:
                var wanted = BinaryPrimitives.ReadUInt32BigEndian(body);
                foreach (var group in table.Groups.Groups)
                    if (wanted == OfpGroupMod.AllGroups || wanted == group.Id)
                        WriteStats(reply.Entry(GroupStatsFixed + BucketStatsSize * group.Buckets.Length), group, table, nowTicks);
                break;
            case OfpMultipartType.GroupDesc:
                foreach (var group in table.Groups.Groups)
                    WriteDescription(reply.Entry(GroupDescFixed + group.Buckets.Sum(b => BucketFixed + b.Actions.Length)), group);
                break;
            default:
                var max = (uint)table.Groups.Capacity;
                reply.Entry(GroupFeaturesSize).U32(0b1111).U32(GroupCapabilities).U32(max).U32(max).U32(max).U32(max)
                    .U32(BucketActions).U32(BucketActions).U32(BucketActions).U32(BucketActions);
                break;
        }
        reply.Finish();
        return null;
    }

    public static OfpError? NoMeters(OfpMultipartType type, ReadOnlySpan<byte> body, uint xid, OfpWriter writer)
    {
        if (type == OfpMultipartType.MeterFeatures ? !body.IsEmpty : body.Length != 8) return OfpError.BadLength;
        var reply = new OfpMultipartWriter(writer, xid, type);
        if (type == OfpMultipartType.MeterFeatures) reply.Entry(MeterFeaturesSize).U32(0).U32(0).U32(0).U8(0).U8(0).Zeros(2);
        reply.Finish();
        return null;
    }

    private static void WriteStats(OfpWriter writer, OpenFlowGroup group, OpenFlowFlowTable table, long nowTicks)
    {
        var elapsed = Math.Max(0, nowTicks - group.AddedTicks);
        var references = (uint)table.Flows.Count(f => OfpOutputs.UsesGroup(f.Instructions, group.Id));
        writer.U16((ushort)(GroupStatsFixed + BucketStatsSize * group.Buckets.Length)).Zeros(2).U32(group.Id).U32(references).Zeros(4)
            .U64((ulong)group.Hits.Packets).U64((ulong)group.Hits.Bytes)
            .U32((uint)(elapsed / 1000)).U32((uint)(elapsed % 1000 * 1_000_000));
        foreach (var bucket in group.Buckets) writer.U64((ulong)bucket.Hits.Packets).U64((ulong)bucket.Hits.Bytes);
    }

    private static void WriteDescription(OfpWriter writer, OpenFlowGroup group)
    {
        writer.U16((ushort)(GroupDescFixed + group.Buckets.Sum(b => BucketFixed + b.Actions.Length))).U8((byte)group.Type).Zeros(1).U32(group.Id);
        foreach (var bucket in group.Buckets)
            writer.U16((ushort)(BucketFixed + bucket.Actions.Length)).U16(bucket.Weight).U32(bucket.WatchPort).U32(bucket.WatchGroup).Zeros(4)
                .Bytes(bucket.Actions);
    }
}
