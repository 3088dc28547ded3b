namespace Engine.Actors.OpenFlow;

/// <summary>
/// An ERROR's type and code (ofp_error_type and its codes, spec section A.4.4): what the switch
/// answers a message it cannot take with, so a controller always learns why.
/// </summary>
public readonly record struct OfpError(ushort Type, ushort Code)
{
    private const ushort HelloFailedType = 0, BadRequestType = 1, BadActionKind = 2, BadInstructionType = 3, BadMatchKind = 4,
        FlowModFailedType = 5, GroupModFailedType = 6, SwitchConfigFailedType = 10, RoleRequestFailedType = 11, MeterModFailedType = 12;

    public static OfpError HelloIncompatible => new(HelloFailedType, 0);

    public static OfpError BadVersion => new(BadRequestType, 0);
    public static OfpError BadType => new(BadRequestType, 1);
    public static OfpError BadMultipart => new(BadRequestType, 2);
    public static OfpError BadExperimenter => new(BadRequestType, 3);
    public static OfpError BadLength => new(BadRequestType, 6);
    public static OfpError BufferUnknown => new(BadRequestType, 8);
    public static OfpError BadTableId => new(BadRequestType, 9);
    public static OfpError IsSlave => new(BadRequestType, 10);
    public static OfpError BadPort => new(BadRequestType, 11);
    public static OfpError BadPacket => new(BadRequestType, 12);

    public static OfpError BadActionType => new(BadActionKind, 0);
    public static OfpError BadActionLength => new(BadActionKind, 1);
    public static OfpError BadOutPort => new(BadActionKind, 4);
    public static OfpError BadActionArgument => new(BadActionKind, 5);
    public static OfpError BadQueue => new(BadActionKind, 8);
    public static OfpError BadOutGroup => new(BadActionKind, 9);
    public static OfpError BadSetType => new(BadActionKind, 13);
    public static OfpError BadSetLength => new(BadActionKind, 14);
    public static OfpError BadSetArgument => new(BadActionKind, 15);

    public static OfpError UnknownInstruction => new(BadInstructionType, 0);
    public static OfpError UnsupportedInstruction => new(BadInstructionType, 1);
    public static OfpError BadInstructionTableId => new(BadInstructionType, 2);
    public static OfpError BadInstructionLength => new(BadInstructionType, 7);

    public static OfpError BadMatchType => new(BadMatchKind, 0);
    public static OfpError BadMatchLength => new(BadMatchKind, 1);
    public static OfpError BadField => new(BadMatchKind, 6);
    public static OfpError BadValue => new(BadMatchKind, 7);
    public static OfpError BadMask => new(BadMatchKind, 8);
    public static OfpError BadPrerequisite => new(BadMatchKind, 9);
    public static OfpError DuplicateField => new(BadMatchKind, 10);

    public static OfpError TableFull => new(FlowModFailedType, 1);
    public static OfpError FlowModBadTableId => new(FlowModFailedType, 2);
    public static OfpError Overlap => new(FlowModFailedType, 3);
    public static OfpError BadTimeout => new(FlowModFailedType, 5);
    public static OfpError BadCommand => new(FlowModFailedType, 6);
    public static OfpError BadFlags => new(FlowModFailedType, 7);

    public static OfpError GroupExists => new(GroupModFailedType, 0);
    public static OfpError InvalidGroup => new(GroupModFailedType, 1);
    public static OfpError WeightUnsupported => new(GroupModFailedType, 2);
    public static OfpError OutOfGroups => new(GroupModFailedType, 3);
    public static OfpError OutOfBuckets => new(GroupModFailedType, 4);
    public static OfpError ChainingUnsupported => new(GroupModFailedType, 5);
    public static OfpError WatchUnsupported => new(GroupModFailedType, 6);
    public static OfpError UnknownGroup => new(GroupModFailedType, 8);
    public static OfpError GroupBadType => new(GroupModFailedType, 10);
    public static OfpError GroupBadCommand => new(GroupModFailedType, 11);
    public static OfpError GroupBadBucket => new(GroupModFailedType, 12);
    public static OfpError BadWatch => new(GroupModFailedType, 13);

    public static OfpError UnknownMeter => new(MeterModFailedType, 3);
    public static OfpError MeterBadCommand => new(MeterModFailedType, 4);
    public static OfpError OutOfMeters => new(MeterModFailedType, 10);

    public static OfpError SwitchConfigBadLength => new(SwitchConfigFailedType, 2);

    public static OfpError RoleBadRole => new(RoleRequestFailedType, 2);
    public static OfpError RoleStale => new(RoleRequestFailedType, 0);

    public override string ToString() => $"type {Type} code {Code}";
}
