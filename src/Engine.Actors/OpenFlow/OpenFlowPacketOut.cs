using System.Buffers.Binary;
using Akka.Actor;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Routing;
using Engine.Actors.Wire;

namespace Engine.Actors.OpenFlow;

/// <summary>
/// Runs OpenFlow actions on a frame, for PACKET_OUT and for the flows the fast path cannot carry:
/// in order on a copy of the frame (<see cref="OfpFrameEdits"/>: set_field, push and pop VLAN,
/// dec_nw_ttl), each output sending the frame as it is then: to a port, IN_PORT, FLOOD and ALL
/// (every port up but the ingress), NORMAL and TABLE (the lab's own forwarding, as if the frame
/// had come in on in_port), CONTROLLER (a PACKET_IN of reason ACTION to every channel); a group
/// runs its bucket or buckets on copies. A tun takes the IP packet behind the Ethernet header.
/// What cannot be sent is counted on the port it was for; a TTL that would reach 0 drops the
/// frame (counted <c>ttl-expired</c>) and offers it to the controllers as INVALID_TTL.
/// </summary>
/// <param name="toController">Where an output to CONTROLLER goes: a PACKET_IN of reason ACTION, the ingress port, the frame and the output's max_len.</param>
/// <param name="own">The switch's own port's counters: drops of frames from the controller, which came in on no port.</param>
internal sealed class OpenFlowPacketOut(IReadOnlyList<Port> ports, IActorRef router, FrameBatchPool pool, Action<PacketInRequest> toController, PortCounters own)
{
    private const ushort Output = 0, PushVlan = 17, PopVlan = 18, Group = 22, DecNwTtl = 24, SetField = 25;

    /// <summary>The lab's ports by engine place, replaced whole when a reload changes them.</summary>
    public IReadOnlyList<Port> Ports { get; set; } = ports;

    /// <summary>The groups as the last GROUP_MOD left them: a snapshot the switch replaces whole.</summary>
    public IReadOnlyDictionary<uint, OpenFlowGroup> Groups { get; set; } = new Dictionary<uint, OpenFlowGroup>();

    /// <summary>Outputs carried out (sent or counted as dropped where they were for): the pipeline counts a frame that reached none as dropped by its flows.</summary>
    public long Outputs { get; private set; }

    /// <summary>The counters of engine port <paramref name="index"/>, or the switch's own for a frame that came in on none of them.</summary>
    public PortCounters CountersOf(int index) => (uint)index < (uint)Ports.Count ? Ports[index].Counters : own;

    public void Send(PacketOutRequest request, OpenFlowSwitchInfo info) =>
        Apply(request.InPort, request.Actions, request.Data, OfpPacketInReason.Action, 0, info);

    /// <summary>
    /// Runs <paramref name="actions"/> on <paramref name="frame"/> (which it may change), as from
    /// <paramref name="inPort"/>; a CONTROLLER output sends PACKET_IN with <paramref name="reason"/>
    /// and <paramref name="cookie"/>. The frame as the actions left it, or null when an invalid TTL dropped it.
    /// </summary>
    public byte[]? Apply(uint inPort, ReadOnlySpan<byte> actions, byte[] frame, OfpPacketInReason reason, ulong cookie, OpenFlowSwitchInfo info)
    {
        while (actions.Length >= 8)
        {
            var type = BinaryPrimitives.ReadUInt16BigEndian(actions);
            var length = BinaryPrimitives.ReadUInt16BigEndian(actions[2..]);
            var action = actions[..length];
            switch (type)
            {
                case Output when BinaryPrimitives.ReadUInt32BigEndian(action[4..]) == OfpPortNumbers.Controller:
                    Outputs++;
                    toController(new PacketInRequest(reason, inPort, cookie, [.. frame], BinaryPrimitives.ReadUInt16BigEndian(action[8..])));
                    break;
                case Output:
                    Outputs++;
                    Out(BinaryPrimitives.ReadUInt32BigEndian(action[4..]), inPort, frame, info);
                    break;
                case PushVlan:
                    frame = OfpFrameEdits.PushVlan(frame, BinaryPrimitives.ReadUInt16BigEndian(action[4..]));
                    break;
                case PopVlan:
                    frame = OfpFrameEdits.PopVlan(frame);
                    break;
                case DecNwTtl when !OfpFrameEdits.DecrementTtl(frame):
                    (info.Port(inPort)?.Counters ?? own).AddDrop(DropReason.TtlExpired);
                    toController(new PacketInRequest(OfpPacketInReason.InvalidTtl, inPort, cookie, frame, OfpPortNumbers.ControllerNoBuffer));
                    return null;
                case SetField:
                    OfpFrameEdits.SetField(frame, action[4..]);
                    break;
                case Group:
                    RunGroup(BinaryPrimitives.ReadUInt32BigEndian(action[4..]), inPort, frame, reason, cookie, info);
                    break;
            }
            actions = actions[length..];
        }
        return frame;
    }

    /// <summary>ALL runs every bucket on its own copy of the frame; the other types the one bucket they pick.</summary>
    private void RunGroup(uint id, uint inPort, byte[] frame, OfpPacketInReason reason, ulong cookie, OpenFlowSwitchInfo info)
    {
        if (!Groups.TryGetValue(id, out var group)) return;
        group.Hits.Add(frame.Length, Environment.TickCount64);
        if (group.Type == OfpGroupType.All)
        {
            foreach (var bucket in group.Buckets) RunBucket(bucket, inPort, frame, reason, cookie, info);
            return;
        }
        if (group.Pick(frame, info) is var chosen and >= 0) RunBucket(group.Buckets[chosen], inPort, frame, reason, cookie, info);
        else (info.Port(inPort)?.Counters ?? own).AddDrop(DropReason.NoRoute);
    }

    private void RunBucket(OpenFlowBucket bucket, uint inPort, byte[] frame, OfpPacketInReason reason, ulong cookie, OpenFlowSwitchInfo info)
    {
        bucket.Hits.Add(frame.Length, Environment.TickCount64);
        Apply(inPort, bucket.Actions, [.. frame], reason, cookie, info);
    }

    private void Out(uint port, uint inPort, byte[] frame, OpenFlowSwitchInfo info)
    {
        switch (port)
        {
            case OfpPortNumbers.Flood or OfpPortNumbers.All:
                foreach (var each in info.Ports)
                    if (each.Number != inPort && each.LinkUp) ToPort(each.EngineIndex, frame);
                break;
            case OfpPortNumbers.InPort:
                if (info.Port(inPort) is { } ingress) ToPort(ingress.EngineIndex, frame);
                break;
            case OfpPortNumbers.Normal or OfpPortNumbers.Table:
                if (info.Port(inPort) is { } from) ToRouter(from.EngineIndex, frame);
                break;
            default:
                // A flow may outlive the port it sends to (a reload removed it): nothing leaves, counted.
                if (info.Port(port) is { } egress) ToPort(egress.EngineIndex, frame);
                else (info.Port(inPort)?.Counters ?? own).AddDrop(DropReason.NoRoute);
                break;
        }
    }

    private void ToPort(int index, byte[] frame)
    {
        var port = Ports[index];
        ReadOnlySpan<byte> bytes = frame;
        if (!port.IsEthernet && !port.IsPeer)
        {
            // A tun carries IP: the packet behind the Ethernet header, and nothing that is not IP.
            if (frame.Length <= EthernetFrame.HeaderLength
                || BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12)) is not (EtherType.Ipv4 or EtherType.Ipv6))
            {
                port.Counters.AddDrop(DropReason.Unsupported);
                return;
            }
            bytes = frame.AsSpan(EthernetFrame.HeaderLength);
        }
        if (Batch(bytes, -1) is { } batch) port.Target.Tell(batch);
        else port.Counters.AddDrop(DropReason.NoBuffer);
    }

    private void ToRouter(int ingress, byte[] frame)
    {
        var port = Ports[ingress];
        ReadOnlySpan<byte> bytes = !port.IsEthernet && !port.IsPeer && frame.Length > EthernetFrame.HeaderLength ? frame.AsSpan(EthernetFrame.HeaderLength) : frame;
        if (Batch(bytes, ingress) is { } batch) router.Tell(batch);
        else port.Counters.AddDrop(DropReason.NoBuffer);
    }

    private FrameBatch? Batch(ReadOnlySpan<byte> bytes, int ingress)
    {
        if (!pool.TryRent(out var batch)) return null;
        if (!batch.TryAppendCopy(bytes))
        {
            batch.Release();
            return null;
        }
        batch.IngressPort = ingress;
        return batch;
    }
}
