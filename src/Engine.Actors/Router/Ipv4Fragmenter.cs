using System.Buffers.Binary;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Routing;
using Engine.Actors.Wire;

namespace Engine.Actors.Router;

/// <summary>
/// Splits an IPv4 packet that may be fragmented (DF clear) into fragments that fit the egress
/// MTU (RFC 791): payload cut at multiples of 8 bytes, offsets and MF set, header checksum
/// filled. Fragments are copied into the egress batch; the original stays behind and is
/// released with its batch. Every fragment repeats the whole header, options included.
/// On an Ethernet egress each fragment gets the next hop's Ethernet header.
/// </summary>
internal sealed class Ipv4Fragmenter(EthernetLink ethernet)
{
    private const ushort MoreFragments = 0x2000;

    /// <summary>False when the packet cannot be fragmented; <paramref name="reason"/> says why. <paramref name="nextHop"/> is the route's neighbour, zero for the destination.</summary>
    public bool Fragment(FrameBatch batch, int index, Port egress, UInt128 nextHop, EgressBatches outputs, Port? ingress, out DropReason reason)
    {
        reason = DropReason.TooBig;
        if (!Ipv4Packet.TryParse(batch.Frame(index), out var packet)) return false;
        var mac = default(MacAddress);
        var link = egress.IsEthernet ? EthernetFrame.HeaderLength : 0;
        if (link > 0 && !ethernet.TryResolve(egress, packet.Bytes, nextHop, outputs, out mac, out _))
        {
            reason = DropReason.Unresolved;
            return false;
        }
        var headerLength = packet.HeaderLength;
        var chunk = (egress.Mtu - headerLength) & ~7;
        if (chunk < 8) return false;

        var header = packet.Header;
        var payload = packet.Bytes[headerLength..packet.TotalLength];
        var baseOffset = packet.FragmentOffset;
        var lastHadMore = packet.MoreFragments;

        for (var start = 0; start < payload.Length; start += chunk)
        {
            var piece = payload.Slice(start, Math.Min(chunk, payload.Length - start));
            var isLast = start + piece.Length == payload.Length;
            var target = outputs.For(egress);
            if (target is null)
            {
                ingress?.Counters.AddDrop(DropReason.NoBuffer);
                return true;
            }

            var frame = target.NextReadSpace;
            if (link > 0) EthernetFrame.WriteHeader(frame, mac, egress.Mac, EtherType.Ipv4);
            var space = frame[link..];
            header.CopyTo(space);
            piece.CopyTo(space[headerLength..]);
            var length = headerLength + piece.Length;
            BinaryPrimitives.WriteUInt16BigEndian(space[Ipv4Packet.Field.TotalLength..], (ushort)length);
            var flags = (ushort)(BinaryPrimitives.ReadUInt16BigEndian(header[Ipv4Packet.Field.FlagsAndFragmentOffset..]) & 0x4000);
            if (!isLast || lastHadMore) flags |= MoreFragments;
            flags |= (ushort)((baseOffset + start) / 8);
            BinaryPrimitives.WriteUInt16BigEndian(space[Ipv4Packet.Field.FlagsAndFragmentOffset..], flags);
            Ipv4Packet.TryParse(space[..length], out var fragment);
            fragment.FillHeaderChecksum();
            target.CommitRead(link + length);
        }
        return true;
    }
}
