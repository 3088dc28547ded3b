using System.Buffers.Binary;

namespace Engine.Actors.OpenFlow;

/// <summary>GROUP_MOD's commands (ofp_group_mod_command).</summary>
public enum OfpGroupModCommand : ushort
{
    Add = 0,
    Modify = 1,
    Delete = 2,
}

/// <summary>
/// A GROUP_MOD (ofp_group_mod, spec section 7.3.4.2), read whole and checked: the command, type
/// and group id, and each bucket's length, watch and actions (as a flow's, with no group chaining).
/// What the group table then makes of it is <see cref="OpenFlowGroupTable"/>'s.
/// </summary>
public sealed record OfpGroupMod(OfpGroupModCommand Command, OfpGroupType Type, uint GroupId, OpenFlowBucket[] Buckets)
{
    public const uint MaxGroup = 0xffffff00, AllGroups = 0xfffffffc, AnyGroup = 0xffffffff;
    public const int MaxBuckets = 64;
    private const int FixedSize = 16, BucketHeader = 16;
    private const ushort GroupAction = 22;

    public static OfpError? TryRead(ReadOnlySpan<byte> message, OpenFlowSwitchInfo info, out OfpGroupMod? groupMod)
    {
        groupMod = null;
        if (message.Length < FixedSize) return OfpError.BadLength;
        var command = BinaryPrimitives.ReadUInt16BigEndian(message[8..]);
        var type = message[10];
        var id = BinaryPrimitives.ReadUInt32BigEndian(message[12..]);
        if (command > (ushort)OfpGroupModCommand.Delete) return OfpError.GroupBadCommand;
        if (command == (ushort)OfpGroupModCommand.Delete)
        {
            // Delete takes no buckets and may name every group.
            if (id > MaxGroup && id != AllGroups) return OfpError.InvalidGroup;
            groupMod = new OfpGroupMod(OfpGroupModCommand.Delete, OfpGroupType.All, id, []);
            return null;
        }
        if (type > (byte)OfpGroupType.FastFailover) return OfpError.GroupBadType;
        if (id > MaxGroup) return OfpError.InvalidGroup;
        var buckets = new List<OpenFlowBucket>();
        var rest = message[FixedSize..];
        while (!rest.IsEmpty)
        {
            if (rest.Length < BucketHeader) return OfpError.GroupBadBucket;
            var length = BinaryPrimitives.ReadUInt16BigEndian(rest);
            if (length < BucketHeader || length % 8 != 0 || length > rest.Length) return OfpError.GroupBadBucket;
            if (buckets.Count == MaxBuckets) return OfpError.OutOfBuckets;
            var weight = BinaryPrimitives.ReadUInt16BigEndian(rest[2..]);
            var watchPort = BinaryPrimitives.ReadUInt32BigEndian(rest[4..]);
            var watchGroup = BinaryPrimitives.ReadUInt32BigEndian(rest[8..]);
            var actions = rest[BucketHeader..length];
            if (ContainsGroup(actions)) return OfpError.ChainingUnsupported;
            if (OfpInstructions.ValidateActions(actions, info, inPacketOut: false, groups: null) is { } actionError) return actionError;
            if ((OfpGroupType)type == OfpGroupType.FastFailover)
            {
                // Liveness is a port's; a group's liveness would chain groups.
                if (watchGroup != AnyGroup) return OfpError.WatchUnsupported;
                if (info.Port(watchPort) is null) return OfpError.BadWatch;
            }
            else if (weight != 0 && (OfpGroupType)type != OfpGroupType.Select) return OfpError.WeightUnsupported;
            buckets.Add(new OpenFlowBucket(weight, watchPort, watchGroup, actions.ToArray()));
            rest = rest[length..];
        }
        if ((OfpGroupType)type == OfpGroupType.Indirect && buckets.Count != 1) return OfpError.InvalidGroup;
        groupMod = new OfpGroupMod((OfpGroupModCommand)command, (OfpGroupType)type, id, [.. buckets]);
        return null;
    }

    private static bool ContainsGroup(ReadOnlySpan<byte> actions)
    {
        while (actions.Length >= 8)
        {
            var length = BinaryPrimitives.ReadUInt16BigEndian(actions[2..]);
            if (length < 8 || length > actions.Length) return false;
            if (BinaryPrimitives.ReadUInt16BigEndian(actions) == GroupAction) return true;
            actions = actions[length..];
        }
        return false;
    }
}
