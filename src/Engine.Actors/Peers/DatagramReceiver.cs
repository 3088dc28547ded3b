using Engine.Actors.Buffers;
using Engine.Native.Sockets;

namespace Engine.Actors.Peers;

/// <summary>
/// The receiving side of a datagram link's socket: one recvmmsg straight into pooled frame
/// buffers, or, where the kernel merges runs of datagrams (UDP_GRO), into buffers of 64 KiB
/// that the link cuts up. What the datagrams mean is the link's to judge; this knows only
/// where they landed and where they came from.
/// </summary>
internal sealed unsafe class DatagramReceiver : IDisposable
{
    // Messages per receive when datagrams arrive merged: each may hold up to 64 of them.
    private const int MergedMessagesPerReceive = 8;

    private readonly NativeSocket _socket;
    private readonly FrameBatchPool _pool;
    private readonly DatagramVectors _vectors;

    public DatagramReceiver(NativeSocket socket, FrameBatchPool pool)
    {
        _socket = socket;
        _pool = pool;
        _vectors = new DatagramVectors(pool.BatchCapacity);
        // A merged receive needs a buffer for 64 KiB, which the pool has when a device takes offloads.
        Merging = pool.MaxFrameLength >= SegmentedSender.MaxSegmentedBytes && socket.TryEnableUdpGro();
    }

    /// <summary>The kernel hands over runs of same-size datagrams as one message (UDP_GRO).</summary>
    public bool Merging { get; }

    /// <summary>
    /// Receives into the buffers of <paramref name="batch"/>: one datagram a buffer, or a run of
    /// them when <see cref="Merging"/>. Returns how many messages came; a socket failure throws
    /// <see cref="Engine.Native.NativeException"/>.
    /// </summary>
    public int Receive(FrameBatch batch)
    {
        var count = Merging ? Math.Min(MergedMessagesPerReceive, batch.Capacity) : batch.Capacity;
        for (var k = 0; k < count; k++)
        {
            var buffer = PeerLinkAddress.OfBuffer(batch, k) + FrameBatch.Headroom;
            if (Merging) _vectors.SetMerging(k, buffer, _pool.MaxFrameLength);
            else _vectors.Set(k, buffer, _pool.MaxFrameLength);
        }
        return _socket.ReceiveBatch(_vectors, count);
    }

    /// <summary>Message <paramref name="slot"/> of the last <see cref="Receive"/> into <paramref name="batch"/>.</summary>
    public Span<byte> Received(FrameBatch batch, int slot) =>
        batch.Buffer(slot).AsSpan(FrameBatch.Headroom, _vectors.ReceivedLength(slot));

    /// <summary>The sender's sockaddr of message <paramref name="slot"/>.</summary>
    public ReadOnlySpan<byte> Source(int slot) => _vectors.Source(slot);

    /// <summary>Message <paramref name="slot"/> did not fit its buffer.</summary>
    public bool Truncated(int slot) => _vectors.Truncated(slot);

    /// <summary>
    /// The size of each datagram in merged message <paramref name="slot"/>; the message itself
    /// when the kernel merged nothing into it.
    /// </summary>
    public int SegmentSize(int slot, int messageLength)
    {
        var size = _vectors.SegmentSize(slot);
        return size <= 0 || size > messageLength ? Math.Max(messageLength, 1) : size;
    }

    /// <summary>
    /// With no buffer to receive into, takes a batch of messages off the socket anyway, in one
    /// call into one byte each; returns the datagrams in them. A socket failure throws.
    /// </summary>
    public long Discard()
    {
        byte sink;
        var room = _pool.BatchCapacity;
        for (var k = 0; k < room; k++)
        {
            if (Merging) _vectors.SetMerging(k, &sink, 1);
            else _vectors.Set(k, &sink, 1);
        }
        var n = _socket.DiscardBatch(_vectors, room);
        long datagrams = 0;
        for (var k = 0; k < n; k++)
        {
            // A merged message is a run of datagrams of its segment size, the last maybe shorter.
            var size = _vectors.SegmentSize(k);
            datagrams += size > 0 ? (_vectors.ReceivedLength(k) + size - 1) / size : 1;
        }
        return datagrams;
    }

    public void Dispose() => _vectors.Dispose();
}
