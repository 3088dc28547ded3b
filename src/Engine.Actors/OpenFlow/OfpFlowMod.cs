using System.Buffers.Binary;

namespace Engine.Actors.OpenFlow;

/// <summary>FLOW_MOD's commands (ofp_flow_mod_command).</summary>
public enum OfpFlowModCommand : byte
{
    Add = 0,
    Modify = 1,
    ModifyStrict = 2,
    Delete = 3,
    DeleteStrict = 4,
}

/// <summary>
/// A FLOW_MOD (ofp_flow_mod, spec section 7.3.4.1), read whole: the fixed part (48 bytes after
/// the header), the match, the instructions. Reading refuses what is malformed with the error
/// the spec gives it; what the table then makes of it is <see cref="OpenFlowFlowTable"/>'s.
/// </summary>
public sealed record OfpFlowMod(
    ulong Cookie, ulong CookieMask, byte TableId, OfpFlowModCommand Command, ushort IdleTimeout, ushort HardTimeout,
    ushort Priority, uint BufferId, uint OutPort, uint OutGroup, ushort Flags, OxmMatch Match, byte[] Instructions)
{
    public const int FixedSize = 48;
    public const byte AllTables = 0xff;
    private const ushort KnownFlags = 0x1f;

    /// <param name="message">The whole message, header included.</param>
    public static OfpError? TryRead(ReadOnlySpan<byte> message, out OfpFlowMod? flowMod)
    {
        flowMod = null;
        if (message.Length < FixedSize + OxmMatch.MinSize) return OfpError.BadLength;
        var body = message[OfpHeader.Size..];
        var command = body[17];
        if (command > (byte)OfpFlowModCommand.DeleteStrict) return OfpError.BadCommand;
        var flags = BinaryPrimitives.ReadUInt16BigEndian(body[36..]);
        if ((flags & ~KnownFlags) != 0) return OfpError.BadFlags;
        if (OxmMatch.TryRead(message[FixedSize..], out var match, out var matchSize) is { } matchError) return matchError;
        flowMod = new OfpFlowMod(
            Cookie: BinaryPrimitives.ReadUInt64BigEndian(body),
            CookieMask: BinaryPrimitives.ReadUInt64BigEndian(body[8..]),
            TableId: body[16],
            Command: (OfpFlowModCommand)command,
            IdleTimeout: BinaryPrimitives.ReadUInt16BigEndian(body[18..]),
            HardTimeout: BinaryPrimitives.ReadUInt16BigEndian(body[20..]),
            Priority: BinaryPrimitives.ReadUInt16BigEndian(body[22..]),
            BufferId: BinaryPrimitives.ReadUInt32BigEndian(body[24..]),
            OutPort: BinaryPrimitives.ReadUInt32BigEndian(body[28..]),
            OutGroup: BinaryPrimitives.ReadUInt32BigEndian(body[32..]),
            Flags: flags,
            Match: match,
            Instructions: message[(FixedSize + matchSize)..].ToArray());
        return null;
    }

    public bool IsDelete => Command is OfpFlowModCommand.Delete or OfpFlowModCommand.DeleteStrict;

    public bool IsStrict => Command is OfpFlowModCommand.ModifyStrict or OfpFlowModCommand.DeleteStrict;
}
