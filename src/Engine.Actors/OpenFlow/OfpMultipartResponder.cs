using System.Buffers.Binary;

namespace Engine.Actors.OpenFlow;

/// <summary>
/// Answers MULTIPART_REQUESTs (spec section 7.3.5): DESC, PORT_DESC, FLOW, AGGREGATE, TABLE,
/// PORT_STATS, the group ones (<see cref="OfpGroupStats"/>) and the meter ones (no meters); any
/// other type is BAD_MULTIPART, a body of the wrong size BAD_LEN.
/// </summary>
public sealed class OfpMultipartResponder(OpenFlowSwitchInfo info, OpenFlowFlowTable table, OfpWriter writer)
{
    private const int RequestHeader = 16;
    private const int FlowRequestFixed = 32;
    private const int PortStatsSize = 112;

    /// <param name="message">The whole request, header included (at least its 16 bytes).</param>
    public OfpError? Answer(ReadOnlySpan<byte> message, uint xid, long nowTicks)
    {
        var type = (OfpMultipartType)BinaryPrimitives.ReadUInt16BigEndian(message[OfpHeader.Size..]);
        var body = message[RequestHeader..];
        switch (type)
        {
            case OfpMultipartType.Desc or OfpMultipartType.PortDesc or OfpMultipartType.Table when !body.IsEmpty:
                return OfpError.BadLength;
            case OfpMultipartType.Desc:
                var desc = new OfpMultipartWriter(writer, xid, type);
                desc.Entry(1056).Text("Engine", 256).Text("Engine packet-switching lab", 256)
                    .Text(typeof(OfpMultipartResponder).Assembly.GetName().Version?.ToString() ?? "", 256)
                    .Text("None", 32).Text("datapath " + info.DatapathId.ToString("x16"), 256);
                desc.Finish();
                return null;
            case OfpMultipartType.PortDesc:
                var ports = new OfpMultipartWriter(writer, xid, type);
                foreach (var port in info.Ports) OfpPortDescription.Write(ports.Entry(OfpPortDescription.Size), port);
                ports.Finish();
                return null;
            case OfpMultipartType.Table:
                var tables = new OfpMultipartWriter(writer, xid, type);
                lock (table)
                    for (var id = 0; id < OpenFlowFlowTable.TableCount; id++)
                        tables.Entry(24).U8((byte)id).Zeros(3).U32((uint)table.Flows.Count(f => f.TableId == id))
                            .U64(id == 0 ? table.Lookups : 0).U64(id == 0 ? table.Matched : 0);
                tables.Finish();
                return null;
            case OfpMultipartType.PortStats:
                return body.Length == 8 ? PortStats(BinaryPrimitives.ReadUInt32BigEndian(body), xid, nowTicks) : OfpError.BadLength;
            case OfpMultipartType.Flow or OfpMultipartType.Aggregate:
                return Flows(type, body, xid, nowTicks);
            case OfpMultipartType.Group or OfpMultipartType.GroupDesc or OfpMultipartType.GroupFeatures:
                lock (table) return OfpGroupStats.Answer(type, body, xid, table, writer, nowTicks);
            case OfpMultipartType.MeterFeatures or OfpMultipartType.Meter or OfpMultipartType.MeterConfig:
                return OfpGroupStats.NoMeters(type, body, xid, writer);
            default:
                return OfpError.BadMultipart;
        }
    }

    private OfpError? PortStats(uint number, uint xid, long nowTicks)
    {
        if (number != OfpPortNumbers.Any && info.Port(number) is null) return OfpError.BadPort;
        var stats = new OfpMultipartWriter(writer, xid, OfpMultipartType.PortStats);
        var elapsed = Math.Max(0, nowTicks - info.StartedTicks);
        foreach (var port in info.Ports)
        {
            if (number != OfpPortNumbers.Any && port.Number != number) continue;
            var c = port.Counters;
            // rx_dropped is what the engine could not deliver of what came in; the switch has no tx drops of its own.
            stats.Entry(PortStatsSize).U32(port.Number).Zeros(4)
                .U64((ulong)c.RxPackets).U64((ulong)c.TxPackets).U64((ulong)c.RxBytes).U64((ulong)c.TxBytes)
                .U64((ulong)c.TotalDrops).U64(0).U64(0).U64(0).U64(0).U64(0).U64(0).U64(0)
                .U32((uint)(elapsed / 1000)).U32((uint)(elapsed % 1000 * 1_000_000));
        }
        stats.Finish();
        return null;
    }

    private OfpError? Flows(OfpMultipartType type, ReadOnlySpan<byte> body, uint xid, long nowTicks)
    {
        if (body.Length < FlowRequestFixed + OxmMatch.MinSize) return OfpError.BadLength;
        var tableId = body[0];
        if (tableId >= OpenFlowFlowTable.TableCount && tableId != OfpFlowMod.AllTables) return OfpError.BadTableId;
        var outPort = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
        var outGroup = BinaryPrimitives.ReadUInt32BigEndian(body[8..]);
        var cookie = BinaryPrimitives.ReadUInt64BigEndian(body[16..]);
        var cookieMask = BinaryPrimitives.ReadUInt64BigEndian(body[24..]);
        if (OxmMatch.TryRead(body[FlowRequestFixed..], out var match, out var size) is { } error) return error;
        if (FlowRequestFixed + size != body.Length) return OfpError.BadLength;
        var reply = new OfpMultipartWriter(writer, xid, type);
        lock (table)
        {
            var selected = table.Select(tableId, match, cookie, cookieMask, outPort)
                .Where(f => outGroup == OfpGroupMod.AnyGroup || OfpOutputs.UsesGroup(f.Instructions, outGroup));
            if (type == OfpMultipartType.Flow)
            {
                foreach (var flow in selected) OfpFlowMessages.WriteStats(reply.Entry(OfpFlowMessages.StatsSize(flow)), flow, nowTicks);
            }
            else
            {
                ulong packets = 0, bytes = 0;
                uint count = 0;
                foreach (var flow in selected) (packets, bytes, count) = (packets + flow.Packets, bytes + flow.Bytes, count + 1);
                reply.Entry(24).U64(packets).U64(bytes).U32(count).Zeros(4);
            }
        }
        reply.Finish();
        return null;
    }
}
