using System.Buffers.Binary;
using Akka.Event;

namespace Engine.Actors.OpenFlow;

/// <summary>
/// One controller connection's protocol, without the socket: messages in, replies written to
/// <see cref="Output"/>. It sends HELLO first, negotiates 1.3, then answers every message: a
/// reply, or an ERROR with the type and code the spec gives the problem. Only a HELLO that
/// shares no version with the engine ends the connection here (the splitter ends one whose
/// lengths lie). The flow table may be shared by several sessions and is locked while used.
/// </summary>
public sealed class OpenFlowSession
{
    private const int FeaturesCapabilities = 1 | 2 | 4; // FLOW_STATS, TABLE_STATS, PORT_STATS
    private const int SwitchConfigSize = 12, RoleRequestSize = 24, MultipartHeader = 16, PacketOutFixed = 24;
    public const ushort DefaultMissSendLength = 128;
    // OpenFlow 1.1's and 1.2's OFPC_INVALID_TTL_TO_CONTROLLER: 1.3 asks with SET_ASYNC, and the engine takes either.
    private const ushort InvalidTtlToController = 4;

    private readonly OpenFlowSwitchInfo _info;
    private readonly OpenFlowFlowTable _table;
    private readonly OfpMultipartResponder _multipart;
    private readonly IOpenFlowDatapath? _datapath;
    private readonly ILoggingAdapter _log;
    private readonly string _controller;
    private readonly List<OpenFlowFlow> _removed = [];
    private readonly OfpAsyncConfig _async = new();
    private uint _nextXid = 1;

    public OpenFlowSession(OpenFlowSwitchInfo info, OpenFlowFlowTable table, IOpenFlowDatapath? datapath, ILoggingAdapter log, string controller)
    {
        _info = info;
        _table = table;
        _datapath = datapath;
        _log = log;
        _controller = controller;
        _multipart = new OfpMultipartResponder(info, table, Output);
    }

    /// <summary>What to send to the controller, in order.</summary>
    public OfpWriter Output { get; } = new();

    public bool Negotiated { get; private set; }

    /// <summary>SET_CONFIG's flags: fragment handling (kept and reported) and OFPC_INVALID_TTL_TO_CONTROLLER.</summary>
    public ushort ConfigFlags { get; private set; }

    /// <summary>How many bytes of a frame a table-miss PACKET_IN carries (SET_CONFIG).</summary>
    public ushort MissSendLength { get; private set; } = DefaultMissSendLength;

    private OfpRole _role = OfpRole.Equal;

    /// <summary>The connection's role: a master another connection has since replaced is a slave.</summary>
    public OfpRole Role => _role == OfpRole.Master && !_info.Roles.IsMaster(this) ? OfpRole.Slave : _role;

    /// <summary>ERRORs this session sent: a count for the channel's log line.</summary>
    public long ErrorsSent { get; private set; }

    public void Start() => OfpHello.Write(Output, NextXid());

    public void SendEchoRequest()
    {
        Output.Begin(OfpType.EchoRequest, NextXid());
        Output.End();
    }

    public void SendPortStatus(OpenFlowPort port, OfpPortReason reason)
    {
        if (!Negotiated || !_async.SendsPortStatus(reason, Role)) return;
        Output.Begin(OfpType.PortStatus, NextXid());
        Output.U8((byte)reason).Zeros(7);
        OfpPortDescription.Write(Output, port);
        Output.End();
    }

    /// <summary>Sends FLOW_REMOVED for <paramref name="flow"/> when it asked for one.</summary>
    public void SendFlowRemoved(OpenFlowFlow flow, byte reason, long nowTicks)
    {
        if (Negotiated && flow.SendsFlowRemoved && _async.SendsFlowRemoved(reason, Role))
            OfpFlowMessages.WriteRemoved(Output, NextXid(), flow, reason, nowTicks);
    }

    /// <summary>Whether the controller asked for this PACKET_IN: <see cref="SendPacketIn"/> sends only those.</summary>
    public bool Takes(PacketInRequest packetIn) =>
        Negotiated && (_async.SendsPacketIn(packetIn.Reason, Role)
            || packetIn.Reason == OfpPacketInReason.InvalidTtl && Role != OfpRole.Slave && (ConfigFlags & InvalidTtlToController) != 0);

    /// <summary>
    /// Sends a frame to the controller (PACKET_IN, spec section 7.4.1) with no buffer id, as much
    /// of it as the request's length allows: miss_send_len for a table miss and an invalid TTL, the
    /// output action's max_len otherwise (OFPCML_NO_BUFFER: all of it). The match carries the
    /// ingress port. Each reason goes to the connections whose SET_ASYNC masks take it; an invalid
    /// TTL also to a master or equal whose SET_CONFIG asked for it.
    /// </summary>
    public void SendPacketIn(PacketInRequest packetIn)
    {
        if (!Takes(packetIn)) return;
        var limit = packetIn.Reason is OfpPacketInReason.NoMatch or OfpPacketInReason.InvalidTtl ? MissSendLength : packetIn.MaxLength;
        var carried = limit == OfpPortNumbers.ControllerNoBuffer ? packetIn.Frame.Length : Math.Min(limit, packetIn.Frame.Length);
        // A message is at most 64 KiB; a frame that long is cut to fit.
        carried = Math.Min(carried, OfpStreamSplitter.MaxMessage - 64);
        Output.Begin(OfpType.PacketIn, NextXid());
        Output.U32(OfpPortNumbers.NoBuffer).U16((ushort)packetIn.Frame.Length).U8((byte)packetIn.Reason).U8(0).U64(packetIn.Cookie);
        (packetIn.InPort is >= 1 and <= OfpPortNumbers.Max ? OxmMatch.InPort(packetIn.InPort) : OxmMatch.Any).Write(Output);
        Output.Zeros(2).Bytes(packetIn.Frame.AsSpan(0, carried));
        Output.End();
    }

    /// <summary>Answers one whole message; a reason when the connection must close.</summary>
    public string? Receive(ReadOnlySpan<byte> message, long nowTicks)
    {
        OfpHeader.TryRead(message, out var header);
        var type = (OfpType)header.Type;
        if (!Negotiated)
        {
            if (type != OfpType.Hello || !OfpHello.Accepts13(message))
            {
                var reason = type == OfpType.Hello
                    ? $"the controller offers no OpenFlow 1.3 (its HELLO is version 0x{header.Version:x2})"
                    : $"the controller sent message type {header.Type} before HELLO";
                OfpErrorMessage.WriteText(Output, OfpError.HelloIncompatible, header.Xid, "Engine speaks OpenFlow 1.3 (0x04) only");
                ErrorsSent++;
                return reason;
            }
            Negotiated = true;
            return null;
        }
        if (header.Version != OfpHeader.Version13) return Refuse(OfpError.BadVersion, header.Xid, message);
        if (Role == OfpRole.Slave && OfpRoleArbiter.ChangesTheSwitch(type, message)) return Refuse(OfpError.IsSlave, header.Xid, message);
        var error = type switch
        {
            OfpType.Hello or OfpType.EchoReply => null,
            OfpType.EchoRequest => Reply(OfpType.EchoReply, header.Xid, message[OfpHeader.Size..]),
            OfpType.Error => NoteError(message),
            OfpType.FeaturesRequest => message.Length == OfpHeader.Size ? Features(header.Xid) : OfpError.BadLength,
            OfpType.GetConfigRequest => message.Length == OfpHeader.Size ? Config(header.Xid) : OfpError.BadLength,
            OfpType.SetConfig => SetConfig(message),
            OfpType.BarrierRequest => message.Length == OfpHeader.Size ? Reply(OfpType.BarrierReply, header.Xid, []) : OfpError.BadLength,
            OfpType.MultipartRequest => message.Length < MultipartHeader ? OfpError.BadLength : _multipart.Answer(message, header.Xid, nowTicks),
            OfpType.RoleRequest => RoleRequest(message, header.Xid),
            OfpType.FlowMod => FlowMod(message, nowTicks),
            OfpType.PacketOut => PacketOut(message),
            OfpType.GroupMod => GroupMod(message, nowTicks),
            OfpType.MeterMod => MeterMod(message),
            OfpType.SetAsync => message.Length == OfpAsyncConfig.MessageSize ? SetAsync(message) : OfpError.BadLength,
            OfpType.GetAsyncRequest => message.Length == OfpHeader.Size ? GetAsync(header.Xid) : OfpError.BadLength,
            OfpType.Experimenter => OfpError.BadExperimenter,
            _ => OfpError.BadType,
        };
        return error is { } refused ? Refuse(refused, header.Xid, message) : null;
    }

    private string? Refuse(OfpError error, uint xid, ReadOnlySpan<byte> message)
    {
        OfpErrorMessage.Write(Output, error, xid, message);
        ErrorsSent++;
        return null;
    }

    private OfpError? Reply(OfpType type, uint xid, ReadOnlySpan<byte> body)
    {
        Output.Begin(type, xid);
        Output.Bytes(body);
        Output.End();
        return null;
    }

    private OfpError? NoteError(ReadOnlySpan<byte> message)
    {
        var (errorType, code) = message.Length >= 12
            ? (BinaryPrimitives.ReadUInt16BigEndian(message[8..]), BinaryPrimitives.ReadUInt16BigEndian(message[10..]))
            : ((ushort)0, (ushort)0);
        _log.Warning("openflow {Controller}: the controller sent ERROR type {ErrorType} code {ErrorCode}", _controller, errorType, code);
        return null;
    }

    private OfpError? Features(uint xid)
    {
        Output.Begin(OfpType.FeaturesReply, xid);
        Output.U64(_info.DatapathId).U32(0).U8(OpenFlowFlowTable.TableCount).U8(0).Zeros(2).U32(FeaturesCapabilities).U32(0);
        Output.End();
        return null;
    }

    private OfpError? Config(uint xid)
    {
        Output.Begin(OfpType.GetConfigReply, xid);
        Output.U16(ConfigFlags).U16(MissSendLength);
        Output.End();
        return null;
    }

    private OfpError? SetConfig(ReadOnlySpan<byte> message)
    {
        if (message.Length != SwitchConfigSize) return OfpError.BadLength;
        ConfigFlags = BinaryPrimitives.ReadUInt16BigEndian(message[8..]);
        MissSendLength = BinaryPrimitives.ReadUInt16BigEndian(message[10..]);
        return null;
    }

    private OfpError? RoleRequest(ReadOnlySpan<byte> message, uint xid)
    {
        if (message.Length != RoleRequestSize) return OfpError.BadLength;
        var role = BinaryPrimitives.ReadUInt32BigEndian(message[8..]);
        if (role > (uint)OfpRole.Slave) return OfpError.RoleBadRole;
        if (role != (uint)OfpRole.NoChange)
        {
            if (_info.Roles.Request(this, (OfpRole)role, BinaryPrimitives.ReadUInt64BigEndian(message[16..])) is { } error) return error;
            _role = (OfpRole)role;
        }
        Output.Begin(OfpType.RoleReply, xid);
        Output.U32((uint)Role).Zeros(4).U64(_info.Roles.Generation);
        Output.End();
        return null;
    }

    private OfpError? FlowMod(ReadOnlySpan<byte> message, long nowTicks)
    {
        if (OfpFlowMod.TryRead(message, out var mod) is { } error) return error;
        _removed.Clear();
        lock (_table)
        {
            if (!mod!.IsDelete && OfpInstructions.Validate(mod.Instructions, _info, mod.TableId, _table.Groups) is { } instructionError) return instructionError;
            if (_table.Apply(mod, nowTicks, _removed) is { } tableError) return tableError;
        }
        foreach (var flow in _removed) SendFlowRemoved(flow, OfpFlowMessages.RemovedByDelete, nowTicks);
        _datapath?.FlowsChanged();
        return null;
    }

    private OfpError? PacketOut(ReadOnlySpan<byte> message)
    {
        if (message.Length < PacketOutFixed) return OfpError.BadLength;
        var bufferId = BinaryPrimitives.ReadUInt32BigEndian(message[8..]);
        var inPort = BinaryPrimitives.ReadUInt32BigEndian(message[12..]);
        var actionsLength = BinaryPrimitives.ReadUInt16BigEndian(message[16..]);
        if (PacketOutFixed + actionsLength > message.Length) return OfpError.BadLength;
        if (bufferId != OfpPortNumbers.NoBuffer) return OfpError.BufferUnknown;
        if (inPort != OfpPortNumbers.Controller && inPort != OfpPortNumbers.Any && _info.Port(inPort) is null) return OfpError.BadPort;
        var actions = message.Slice(PacketOutFixed, actionsLength);
        lock (_table)
            if (OfpInstructions.ValidateActions(actions, _info, inPacketOut: true, _table.Groups) is { } error) return error;
        var data = message[(PacketOutFixed + actionsLength)..];
        if (data.IsEmpty) return OfpError.BadPacket;
        if (_datapath is null) return OfpError.BadType;
        _datapath.PacketOut(inPort, actions, data);
        return null;
    }

    private OfpError? SetAsync(ReadOnlySpan<byte> message)
    {
        _async.Read(message);
        return null;
    }

    private OfpError? GetAsync(uint xid)
    {
        Output.Begin(OfpType.GetAsyncReply, xid);
        _async.Write(Output);
        Output.End();
        return null;
    }

    /// <summary>GROUP_MOD; deleting a group removes the flows that send to it, announced with reason GROUP_DELETE.</summary>
    private OfpError? GroupMod(ReadOnlySpan<byte> message, long nowTicks)
    {
        if (OfpGroupMod.TryRead(message, _info, out var mod) is { } error) return error;
        var deleted = new List<uint>();
        _removed.Clear();
        lock (_table)
        {
            if (_table.Groups.Apply(mod!, nowTicks, deleted) is { } tableError) return tableError;
            _table.RemoveUsing(deleted, _removed);
        }
        foreach (var flow in _removed) SendFlowRemoved(flow, OfpFlowMessages.RemovedWithGroup, nowTicks);
        _datapath?.FlowsChanged();
        return null;
    }

    /// <summary>The switch has no meters: adding one is OUT_OF_METERS, changing or deleting one UNKNOWN_METER.</summary>
    private static OfpError? MeterMod(ReadOnlySpan<byte> message)
    {
        const int MeterModFixed = 16;
        if (message.Length < MeterModFixed) return OfpError.BadLength;
        return BinaryPrimitives.ReadUInt16BigEndian(message[8..]) switch
        {
            0 => OfpError.OutOfMeters,
            1 or 2 => OfpError.UnknownMeter,
            _ => OfpError.MeterBadCommand,
        };
    }

    private uint NextXid() => _nextXid++;
}
