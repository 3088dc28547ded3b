using System.Buffers.Binary;

namespace Engine.Actors.OpenFlow;

/// <summary>
/// Checks a flow's instructions (spec section 7.2.4) and their actions (7.2.5) against what the
/// engine's tables can do: apply-actions, write-actions, clear-actions and goto_table (to a later
/// table); output to a port of the switch or to IN_PORT, NORMAL, FLOOD, ALL or CONTROLLER;
/// group (one that exists); set_field of the fields <see cref="OfpFrameEdits.CanSet"/> names;
/// push/pop VLAN; dec_nw_ttl. Each refusal is the error the spec names for it.
/// </summary>
public static class OfpInstructions
{
    private const ushort GotoTable = 1, WriteMetadata = 2, WriteActions = 3, ApplyActions = 4, ClearActions = 5, Meter = 6;
    private const ushort Output = 0, PushVlan = 17, PopVlan = 18, SetQueue = 21, Group = 22, SetNwTtl = 23, DecNwTtl = 24, SetField = 25;
    private const int InstructionHeader = 8, ActionHeader = 4;

    /// <param name="tableId">The table the flow goes in: goto_table must lead to a later one.</param>
    public static OfpError? Validate(ReadOnlySpan<byte> instructions, OpenFlowSwitchInfo info, byte tableId, OpenFlowGroupTable groups)
    {
        while (!instructions.IsEmpty)
        {
            if (instructions.Length < 4) return OfpError.BadInstructionLength;
            var type = BinaryPrimitives.ReadUInt16BigEndian(instructions);
            var length = BinaryPrimitives.ReadUInt16BigEndian(instructions[2..]);
            if (length < InstructionHeader || length % 8 != 0 || length > instructions.Length) return OfpError.BadInstructionLength;
            var error = type switch
            {
                ApplyActions or WriteActions => ValidateActions(instructions[InstructionHeader..length], info, inPacketOut: false, groups),
                ClearActions => null,
                GotoTable when length != InstructionHeader => OfpError.BadInstructionLength,
                // The pipeline only goes forward (spec section 5.1).
                GotoTable => instructions[4] > tableId && instructions[4] < OpenFlowFlowTable.TableCount ? null : OfpError.BadInstructionTableId,
                // The switch has no meters: every meter id is unknown (spec section 7.2.4).
                Meter => OfpError.UnknownMeter,
                WriteMetadata => OfpError.UnsupportedInstruction,
                _ => OfpError.UnknownInstruction,
            };
            if (error is not null) return error;
            instructions = instructions[length..];
        }
        return null;
    }

    /// <param name="inPacketOut">PACKET_OUT may also output to TABLE.</param>
    /// <param name="groups">The groups a group action may name; null in a group's bucket, where GROUP_MOD refuses chaining before this.</param>
    public static OfpError? ValidateActions(ReadOnlySpan<byte> actions, OpenFlowSwitchInfo info, bool inPacketOut, OpenFlowGroupTable? groups)
    {
        while (!actions.IsEmpty)
        {
            if (actions.Length < ActionHeader) return OfpError.BadActionLength;
            var type = BinaryPrimitives.ReadUInt16BigEndian(actions);
            var length = BinaryPrimitives.ReadUInt16BigEndian(actions[2..]);
            if (length < 8 || length % 8 != 0 || length > actions.Length) return OfpError.BadActionLength;
            var action = actions[..length];
            var error = type switch
            {
                Output when length != 16 => OfpError.BadActionLength,
                Output => ValidateOutput(BinaryPrimitives.ReadUInt32BigEndian(action[4..]), info, inPacketOut),
                PushVlan when length != 8 => OfpError.BadActionLength,
                PushVlan => BinaryPrimitives.ReadUInt16BigEndian(action[4..]) is 0x8100 or 0x88a8 ? null : OfpError.BadActionArgument,
                PopVlan or DecNwTtl => length == 8 ? null : OfpError.BadActionLength,
                SetField => ValidateSetField(action[4..]),
                // The engine's ports have no queues.
                SetQueue => OfpError.BadQueue,
                Group when length != 8 => OfpError.BadActionLength,
                Group => groups?.Find(BinaryPrimitives.ReadUInt32BigEndian(action[4..])) is null ? OfpError.BadOutGroup : null,
                SetNwTtl => OfpError.BadActionType,
                _ => OfpError.BadActionType,
            };
            if (error is not null) return error;
            actions = actions[length..];
        }
        return null;
    }

    private static OfpError? ValidateOutput(uint port, OpenFlowSwitchInfo info, bool inPacketOut) => port switch
    {
        OfpPortNumbers.InPort or OfpPortNumbers.Normal or OfpPortNumbers.Flood or OfpPortNumbers.All or OfpPortNumbers.Controller => null,
        OfpPortNumbers.Table when inPacketOut => null,
        _ when info.Port(port) is not null => null,
        _ => OfpError.BadOutPort,
    };

    /// <summary>One OXM field with no mask, padded to the action's 8-byte multiple.</summary>
    private static OfpError? ValidateSetField(ReadOnlySpan<byte> oxm)
    {
        if (oxm.Length < 4) return OfpError.BadSetLength;
        var id = (byte)(oxm[2] >> 1);
        // A field the engine cannot rewrite is refused, not ignored.
        if (BinaryPrimitives.ReadUInt16BigEndian(oxm) != OxmFields.BasicClass || !OfpFrameEdits.CanSet((OxmFieldId)id)
            || !OxmFields.TryDescribe(id, out var size, out _))
            return OfpError.BadSetType;
        if ((oxm[2] & 1) != 0 || oxm[3] != size || 4 + size > oxm.Length) return OfpError.BadSetLength;
        return null;
    }
}

/// <summary>What the out_port filter of delete and flow stats asks of a flow's instructions.</summary>
public static class OfpOutputs
{
    /// <summary>Whether any output action in <paramref name="instructions"/> (already validated) sends to <paramref name="port"/>.</summary>
    public static bool SendTo(ReadOnlySpan<byte> instructions, uint port) => AnyAction(instructions, OutputAction, 16, port);

    /// <summary>Whether a group action in <paramref name="instructions"/> names <paramref name="group"/>.</summary>
    public static bool UsesGroup(ReadOnlySpan<byte> instructions, uint group) => AnyAction(instructions, GroupAction, 8, group);

    private const ushort OutputAction = 0, GroupAction = 22;

    /// <summary>Whether an action of <paramref name="type"/> and <paramref name="length"/> whose first field is <paramref name="argument"/> is among the apply- and write-actions.</summary>
    private static bool AnyAction(ReadOnlySpan<byte> instructions, ushort actionType, int actionSize, uint argument)
    {
        while (instructions.Length >= 8)
        {
            var type = BinaryPrimitives.ReadUInt16BigEndian(instructions);
            var length = BinaryPrimitives.ReadUInt16BigEndian(instructions[2..]);
            if (length < 8 || length > instructions.Length) return false;
            if (type is 3 or 4)
            {
                var actions = instructions[8..length];
                while (actions.Length >= 8)
                {
                    var actionLength = BinaryPrimitives.ReadUInt16BigEndian(actions[2..]);
                    if (actionLength < 8 || actionLength > actions.Length) break;
                    if (BinaryPrimitives.ReadUInt16BigEndian(actions) == actionType && actionLength == actionSize
                        && BinaryPrimitives.ReadUInt32BigEndian(actions[4..]) == argument)
                        return true;
                    actions = actions[actionLength..];
                }
            }
            instructions = instructions[length..];
        }
        return false;
    }
}
