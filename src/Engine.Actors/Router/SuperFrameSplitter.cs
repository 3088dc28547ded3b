using Engine.Actors.Buffers;
using Engine.Actors.Offload;
using Engine.Actors.Routing;
using Engine.Actors.Wire;

namespace Engine.Actors.Router;

/// <summary>
/// Finishes frames for an egress port that takes only finished packets: a super-frame is cut
/// into segments in a scratch batch, and each segment then goes the way of any packet (Ethernet
/// header, neighbour resolution, egress batch); a partial checksum is filled in place. Owned by
/// the forwarder, on its thread.
/// </summary>
internal sealed class SuperFrameSplitter(FrameBatchPool pool)
{
    private FrameBatch? _scratch;

    /// <summary>Pool batches kept between calls: the scratch batch, once rented, is kept for reuse.</summary>
    public int BatchesKept => _scratch is null ? 0 : 1;

    /// <summary>
    /// The most segments one super-frame may be cut into: an eighth of the pool's frames. Each
    /// segment takes a buffer until the egress writes it, after the whole batch is routed; a
    /// frame cut finer (a TCP MSS under about 64 bytes on 64 KiB) would take the buffers of
    /// other ports, so it is dropped instead, counted no-buffer.
    /// </summary>
    public int MaxSegments { get; } = Math.Max(pool.BatchCapacity, pool.MaxBatches * pool.BatchCapacity / 8);

    /// <summary>
    /// Writes the segments of frame <paramref name="index"/> (cut at <paramref name="layout"/>'s
    /// gso size) and hands them to <paramref name="delivery"/> in order, for
    /// <paramref name="egress"/>; returns how many were delivered, or -1 when the pool had no
    /// scratch batch or a segment would not fit a buffer (the segments already delivered are whole
    /// packets; the rest is lost, and TCP resends it).
    /// </summary>
    public int Split(FrameBatch batch, int index, in VirtioFrameLayout layout, ISegmentDelivery delivery, Port egress, Port? ingress)
    {
        if (layout.SegmentCount > MaxSegments) return -1;
        if (_scratch is null && !pool.TryRent(out _scratch)) return -1;
        _scratch.Clear(); // a split that faulted part way left its segments here, undelivered
        var sink = new ScratchSink(_scratch, delivery, egress, ingress);
        var result = GsoSegmenter.Segment(batch.Frame(index), layout, ref sink, out _);
        sink.Flush();
        return result == SegmentResult.OutOfBuffers ? -1 : sink.Delivered;
    }

    /// <summary>Fills the partial checksum of frame <paramref name="index"/>; false when its layout does not hold up.</summary>
    public static bool Complete(FrameBatch batch, int index)
    {
        ref var offload = ref batch.Offload(index);
        if (!ChecksumCompletion.TryComplete(batch.Frame(index), offload)) return false;
        offload = default;
        return true;
    }

    /// <summary>Segments land in the scratch batch; when it is full they are delivered and it starts over.</summary>
    private ref struct ScratchSink(FrameBatch scratch, ISegmentDelivery delivery, Port egress, Port? ingress) : ISegmentSink
    {
        public int Delivered;

        public Span<byte> Reserve(int length)
        {
            if (scratch.IsFull) Flush();
            var space = scratch.NextReadSpace;
            return space.Length >= length ? space : default;
        }

        public void Commit(int length) => scratch.CommitRead(length);

        public void Flush()
        {
            for (var i = 0; i < scratch.Count; i++)
                if (delivery.Deliver(scratch, i, egress, ingress)) Delivered++;
            scratch.Clear();
        }
    }
}

/// <summary>Sends one finished packet on towards its egress (the forwarder's usual last step).</summary>
internal interface ISegmentDelivery
{
    bool Deliver(FrameBatch batch, int index, Port egress, Port? ingress);
}
