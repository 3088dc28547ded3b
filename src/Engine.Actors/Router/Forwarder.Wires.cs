using System.Buffers.Binary;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Offload;
using Engine.Actors.Routing;
using Engine.Actors.Wire;

namespace Engine.Actors.Router;

/// <summary>
/// Wired ports: every frame goes to the far end of its wire unchanged, whatever it carries
/// (multicast, link-local, TTL 1, any protocol or EtherType): no lookup, no TTL change, no
/// ARP. Only what the far end cannot take as it is changes form: a super-frame or a partial
/// checksum is finished for a port that takes only finished packets, behind the same Ethernet
/// header when it came from a tap.
/// </summary>
internal sealed partial class Forwarder
{
    /// <summary>
    /// Room a wired frame has beyond its port's MTU on an Ethernet link: the Ethernet header and
    /// one 802.1Q tag.
    /// </summary>
    public const int WiredLinkHeader = EthernetFrame.HeaderLength + 4;

    /// <summary>Frame <paramref name="index"/> from wired port <paramref name="ingress"/> goes to the far end of its wire.</summary>
    private bool Carry(FrameBatch batch, int index, Port ingress, PortWires wires, RouteSnapshot routes)
    {
        // A far end a reload is removing has nothing behind it until the table without this wire comes.
        if (!wires.TryFind(batch.Tag(index), out var end) || (uint)end.Port >= (uint)routes.Ports.Length || routes.Ports[end.Port].IsRetired)
        {
            ingress.Counters.AddDrop(DropReason.NoRoute);
            return false;
        }
        return CarryTo(batch, index, ingress, routes.Ports[end.Port], end.Tag);
    }

    /// <summary>Frame <paramref name="index"/> goes out of <paramref name="egress"/> unchanged, finished first if it cannot take it as it is.</summary>
    private bool CarryTo(FrameBatch batch, int index, Port ingress, Port egress, int tag, int note = ControllerNote.None)
    {
        _wired.Aim(tag, note);
        ref var offload = ref batch.Offload(index);
        if (!offload.IsGso && !offload.NeedsChecksum) return _wired.Deliver(batch, index, egress, ingress);
        // A tap's layout counts from the IP header behind its Ethernet header: only another tap
        // reads it so; any other port would take the Ethernet header for the IP one.
        if (ingress.IsEthernet == egress.IsEthernet && OffloadsOf(egress).Accepts(offload))
            return MoveOut(_egress, batch, index, egress, ingress, tag, note);

        if (offload.IsGso)
        {
            if (ingress.IsEthernet) _wired.StripEthernet(batch, index);
            return Split(batch, index, offload, egress, ingress, _wired);
        }
        if (!TryFillChecksum(batch, index, ingress))
        {
            ingress.Counters.AddDrop(DropReason.Malformed);
            return false;
        }
        return _wired.Deliver(batch, index, egress, ingress);
    }

    /// <summary>
    /// Fills frame <paramref name="index"/>'s partial checksum in place, behind its Ethernet header
    /// when it came from a tap (the layout counts from the IP header); false when the layout does
    /// not hold up.
    /// </summary>
    private static bool TryFillChecksum(FrameBatch batch, int index, Port ingress)
    {
        ref var offload = ref batch.Offload(index);
        var packet = ingress.IsEthernet ? batch.Frame(index)[EthernetFrame.HeaderLength..] : batch.Frame(index);
        if (!ChecksumCompletion.TryComplete(packet, offload)) return false;
        offload = default;
        return true;
    }

    /// <summary>
    /// Moves finished wired frames to their egress with the wire's tag; while a tap's frame is
    /// being finished, puts its Ethernet header back in front of each packet made of it.
    /// </summary>
    private sealed class WiredDelivery(EgressBatches outputs) : ISegmentDelivery
    {
        private int _tag;
        private int _note;
        private bool _reframe;
        private MacAddress _destination;
        private MacAddress _source;
        private ushort _etherType;
        private int _vid;

        /// <summary>The next frame goes out with <paramref name="tag"/> and <paramref name="note"/>, and as it is unless <see cref="StripEthernet"/> follows.</summary>
        public void Aim(int tag, int note)
        {
            _tag = tag;
            _note = note;
            _reframe = false;
        }

        /// <summary>
        /// Keeps frame <paramref name="index"/>'s Ethernet header aside and leaves the IP packet, to
        /// be finished; each packet made of it gets the header back, with a tag of <paramref name="vid"/> unless 0.
        /// </summary>
        public void StripEthernet(FrameBatch batch, int index, int vid = 0)
        {
            _vid = vid;
            var frame = batch.Frame(index);
            _destination = MacAddress.FromSpan(frame[EthernetFrame.Field.Destination..]);
            _source = MacAddress.FromSpan(frame[EthernetFrame.Field.Source..]);
            _etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[EthernetFrame.Field.EtherType..]);
            batch.Reframe(index, batch.Offset(index) + EthernetFrame.HeaderLength, frame.Length - EthernetFrame.HeaderLength);
            _reframe = true;
        }

        public bool Deliver(FrameBatch batch, int index, Port egress, Port? ingress)
        {
            if (_reframe)
            {
                var length = batch.Frame(index).Length;
                var header = _vid == 0 ? EthernetFrame.HeaderLength : VlanTag.TaggedHeaderLength;
                batch.Reframe(index, batch.Offset(index) - header, length + header);
                var frame = batch.Frame(index);
                EthernetFrame.WriteHeader(frame, _destination, _source, _etherType);
                if (_vid != 0)
                {
                    VlanTag.Write(frame, _vid);
                    BinaryPrimitives.WriteUInt16BigEndian(frame[(VlanTag.Offset + VlanTag.Length)..], _etherType);
                }
            }
            if (batch.Frame(index).Length > egress.Mtu + (egress.IsEthernet || egress.IsController ? WiredLinkHeader : 0))
            {
                ingress?.Counters.AddDrop(DropReason.TooBig);
                return false;
            }
            return MoveOut(outputs, batch, index, egress, ingress, _tag, _note);
        }
    }
}
