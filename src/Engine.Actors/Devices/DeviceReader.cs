using Akka.Actor;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Dataplane;
using Engine.Actors.Router;
using System.Buffers.Binary;
using Engine.Actors.Wire;
using Engine.Native;
using Engine.Native.Reactor;
using Engine.Native.Tun;

namespace Engine.Actors.Devices;

/// <summary>
/// Reads one batch from a device each time the reactor finds it readable and hands the batch
/// to the router: one message per wake-up, never one per frame. Runs on the reactor thread.
/// </summary>
internal sealed class DeviceReader : IReadinessHandler
{
    private readonly TunDevice _device;
    private readonly FrameBatchPool _pool;
    private readonly IActorRef _router;
    private readonly IActorRef _owner;
    private readonly int _port;
    private readonly PortCounters _counters;
    private readonly Reactor _reactor;
    private readonly byte[] _discard;
    private readonly FrameFaults _faults;
    private long _lastReadTurn = -2;
    private bool _failed;

    /// <param name="faults">Where a fault while reading one frame is counted and logged: one per reading thread.</param>
    public DeviceReader(Reactor reactor, TunDevice device, FrameBatchPool pool, IActorRef router, IActorRef owner, int port, PortCounters counters, FrameFaults faults)
    {
        _faults = faults;
        _reactor = reactor;
        _device = device;
        _pool = pool;
        _router = router;
        _owner = owner;
        _port = port;
        _counters = counters;
        _discard = new byte[pool.MaxFrameLength];
    }

    public void OnReadable()
    {
        if (_failed) return;
        try
        {
            if (_pool.TryRent(out var batch)) ReadBatch(batch);
            else DiscardBatch();
        }
        catch (NativeException e)
        {
            // The fd is broken (device deleted, namespace gone): stop reading and let the
            // owning actor's supervision decide; level-triggered epoll would otherwise spin.
            _failed = true;
            _owner.Tell(new DeviceFailed(e));
        }
    }

    private void ReadBatch(FrameBatch batch)
    {
        // Readable on consecutive turns means frames are streaming: drain a batch. Otherwise one
        // frame goes through at once, and the read that would find the queue empty happens on a
        // later turn, after this frame has been written out.
        var turn = _reactor.Turns;
        var limit = turn == _lastReadTurn + 1 ? batch.Capacity : 1;
        _lastReadTurn = turn;

        long bytes = 0;
        try
        {
            while (batch.Count < limit)
            {
                var n = _device.HasVnetHeader ? ReadWithHeader(batch) : ReadPlain(batch);
                if (n < 0) break;
                bytes += n;
            }
        }
        finally
        {
            IngressBatch.Deliver(batch, bytes, _port, _counters, _router, _reactor.Flood);
        }
    }

    /// <summary>Reads one frame; its length, or -1 when the device has nothing more.</summary>
    private int ReadPlain(FrameBatch batch)
    {
        var n = _device.Read(batch.NextReadSpace);
        if (n == 0) return -1;
        batch.CommitRead(n);
        return n;
    }

    /// <summary>
    /// Reads one frame behind its virtio-net header. The header is checked against the packet,
    /// never trusted: one that lies is dropped and counted, and the frame is not kept.
    /// </summary>
    private int ReadWithHeader(FrameBatch batch)
    {
        var space = batch.NextReadSpaceBehind(VirtioNetHeader.Length);
        var n = _device.Read(space);
        if (n == 0) return -1;
        VirtioFrameLayout layout;
        try
        {
            if (!VirtioNetHeader.TryParse(space[..n], out var header) || !TryLayout(space, space[VirtioNetHeader.Length..n], header, out layout))
            {
                _counters.AddDrop(DropReason.Malformed);
                return 0;
            }
        }
        catch (Exception fault)
        {
            _faults.Record(fault, _counters, _device.Name);
            return 0;
        }
        batch.CommitRead(n - VirtioNetHeader.Length);
        batch.Offload(batch.Count - 1) = layout;
        return n - VirtioNetHeader.Length;
    }

    /// <summary>
    /// The layout of a frame's offloads, counted from its IP header. On a tap the frame is
    /// Ethernet: a plain one needs nothing; one with offloads must carry IP directly (no VLAN),
    /// and its checksum offset is moved past the Ethernet header before the header is checked.
    /// </summary>
    private bool TryLayout(Span<byte> space, Span<byte> frame, VirtioNetHeader header, out VirtioFrameLayout layout)
    {
        if (_device.Mode == TunMode.Tun) return header.Validate(frame, out layout) == VirtioHeaderCheck.Valid;

        layout = default;
        if (header.Flags == 0 && header.GsoType == VirtioGsoType.None) return true;
        if (!EthernetFrame.TryParse(frame, out var ethernet)
            || ethernet.EtherType is not (EtherType.Ipv4 or EtherType.Ipv6))
            return false;
        // The header is a view over these bytes: the shifted offset is what Validate reads.
        if (header.NeedsChecksum)
        {
            if (header.ChecksumStart < EthernetFrame.HeaderLength) return false;
            BinaryPrimitives.WriteUInt16LittleEndian(space[VirtioNetHeader.Field.ChecksumStart..],
                (ushort)(header.ChecksumStart - EthernetFrame.HeaderLength));
        }
        return header.Validate(frame[EthernetFrame.HeaderLength..], out layout) == VirtioHeaderCheck.Valid;
    }

    // Every buffer is in flight: take frames off the device anyway and count them, so the
    // reactor does not spin on a readable fd and nothing queues without bound.
    private void DiscardBatch()
    {
        for (var i = 0; i < _pool.BatchCapacity; i++)
        {
            if (_device.Read(_discard) == 0) break;
            _counters.AddDrop(DropReason.NoBuffer);
        }
    }
}
