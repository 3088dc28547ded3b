using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Routing;
using Engine.Actors.Wire;

namespace Engine.Actors.Router;

/// <summary>A frame that does not fit its egress as it is: a super-frame cut into segments, an IPv4 packet into fragments.</summary>
internal sealed partial class Forwarder
{
    bool ISegmentDelivery.Deliver(FrameBatch batch, int index, Port egress, Port? ingress) =>
        Deliver(batch, index, egress, ingress, framed: false);

    /// <summary>
    /// A super-frame for a port that takes single packets: its segments go instead, each to
    /// <paramref name="delivery"/> (this forwarder, or one that fragments what is still too big).
    /// </summary>
    private bool Split(FrameBatch batch, int index, in VirtioFrameLayout layout, Port egress, Port? ingress, ISegmentDelivery delivery)
    {
        var delivered = _splitter.Split(batch, index, layout, delivery, egress, ingress);
        if (delivered < 0) ingress?.Counters.AddDrop(DropReason.NoBuffer);
        return delivered > 0;
    }

    /// <summary>
    /// Fragments IPv4 packet <paramref name="index"/> (DF clear) into <paramref name="egress"/>'s
    /// batch; false when it could not, counted: an unknown next hop on the egress, as for a whole
    /// packet, anything else on the ingress.
    /// </summary>
    private bool Fragment(FrameBatch batch, int index, Port egress, Port? ingress)
    {
        if (_fragmenter.Fragment(batch, index, egress, _nextHop, _egress, ingress, out var reason)) return true;
        (reason == DropReason.Unresolved ? egress : ingress)?.Counters.AddDrop(reason);
        return false;
    }

    /// <summary>Delivers segments that fit the egress as they are, and fragments the others (IPv4, DF clear).</summary>
    private sealed class FragmentingDelivery(Forwarder forwarder) : ISegmentDelivery
    {
        public bool Deliver(FrameBatch batch, int index, Port egress, Port? ingress) =>
            batch.Frame(index).Length <= egress.Mtu
                ? forwarder.Deliver(batch, index, egress, ingress, framed: false)
                : forwarder.Fragment(batch, index, egress, ingress);
    }
}
