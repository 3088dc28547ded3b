using System.Buffers.Binary;
using Akka.Actor;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Routing;
using Engine.Actors.Wire;

namespace Engine.Actors.OpenFlow;

/// <summary>
/// Carries out a PACKET_OUT: its actions in order on a copy of the frame (set_field of an
/// Ethernet address, push and pop VLAN, dec_nw_ttl), each output sending the frame as it is
/// then: to a port, IN_PORT, FLOOD and ALL (every port up but the ingress), NORMAL and TABLE (the
/// lab's own forwarding, as if the frame had come in on in_port), CONTROLLER (a PACKET_IN of
/// reason ACTION to every channel). A tun takes the IP packet
/// behind the Ethernet header. What cannot be sent is counted on the port it was for.
/// </summary>
/// <param name="toController">Where an output to CONTROLLER goes: a PACKET_IN of reason ACTION, the ingress port, the frame and the output's max_len.</param>
internal sealed class OpenFlowPacketOut(IReadOnlyList<Port> ports, IActorRef router, FrameBatchPool pool, Action<PacketInRequest> toController)
{
    private const ushort Output = 0, PushVlan = 17, PopVlan = 18, DecNwTtl = 24, SetField = 25;

    public void Send(PacketOutRequest request, OpenFlowSwitchInfo info) =>
        Apply(request.InPort, request.Actions, request.Data, OfpPacketInReason.Action, 0, info);

    /// <summary>Runs <paramref name="actions"/> on <paramref name="frame"/> (which it may change), as from <paramref name="inPort"/>; a CONTROLLER output sends PACKET_IN with <paramref name="reason"/> and <paramref name="cookie"/>.</summary>
    public void Apply(uint inPort, ReadOnlySpan<byte> actions, byte[] frame, OfpPacketInReason reason, ulong cookie, OpenFlowSwitchInfo info)
    {
        while (actions.Length >= 8)
        {
            var type = BinaryPrimitives.ReadUInt16BigEndian(actions);
            var length = BinaryPrimitives.ReadUInt16BigEndian(actions[2..]);
            var action = actions[..length];
            switch (type)
            {
                case Output when BinaryPrimitives.ReadUInt32BigEndian(action[4..]) == OfpPortNumbers.Controller:
                    toController(new PacketInRequest(reason, inPort, cookie, [.. frame], BinaryPrimitives.ReadUInt16BigEndian(action[8..])));
                    break;
                case Output:
                    Out(BinaryPrimitives.ReadUInt32BigEndian(action[4..]), inPort, frame, info);
                    break;
                case PushVlan when frame.Length >= EthernetFrame.HeaderLength:
                    frame = [.. frame.AsSpan(0, 12), .. action.Slice(4, 2), 0, 0, .. frame.AsSpan(12)];
                    break;
                case PopVlan when frame.Length >= EthernetFrame.HeaderLength + 4
                    && BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12)) is EtherType.Vlan or EtherType.ServiceVlan:
                    frame = [.. frame.AsSpan(0, 12), .. frame.AsSpan(16)];
                    break;
                case DecNwTtl:
                    DecrementTtl(frame);
                    break;
                case SetField:
                    SetEthernetAddress(frame, action[4..]);
                    break;
            }
            actions = actions[length..];
        }
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
                if (info.Port(port) is { } egress) ToPort(egress.EngineIndex, frame);
                break;
        }
    }

    private void ToPort(int index, byte[] frame)
    {
        var port = ports[index];
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
        var port = ports[ingress];
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

    private static void DecrementTtl(byte[] frame)
    {
        if (frame.Length < EthernetFrame.HeaderLength + 20) return;
        var ip = frame.AsSpan(EthernetFrame.HeaderLength);
        switch (BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12)))
        {
            case EtherType.Ipv4 when ip[8] > 0:
                ip[8]--;
                // RFC 1624: the checksum rises by what the TTL's word lost.
                var sum = (uint)BinaryPrimitives.ReadUInt16BigEndian(ip[10..]) + 0x0100;
                BinaryPrimitives.WriteUInt16BigEndian(ip[10..], (ushort)(sum + (sum >> 16)));
                break;
            case EtherType.Ipv6 when ip.Length >= 40 && ip[7] > 0:
                ip[7]--;
                break;
        }
    }

    private static void SetEthernetAddress(byte[] frame, ReadOnlySpan<byte> oxm)
    {
        if (frame.Length < EthernetFrame.HeaderLength || oxm.Length < 10) return;
        var offset = (OxmFieldId)(oxm[2] >> 1) switch { OxmFieldId.EthDst => 0, OxmFieldId.EthSrc => 6, _ => -1 };
        if (offset >= 0) oxm.Slice(4, 6).CopyTo(frame.AsSpan(offset));
    }
}
