using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Offload;
using Engine.Actors.Wire;
using Engine.Native.Tun;

namespace Engine.Actors.Devices;

/// <summary>
/// Writes batches to a device opened with a virtio-net header. Each frame's header goes into
/// the headroom in front of it (a super-frame's segmentation, a partial checksum, or all zero),
/// so a frame is still one write. When the device takes TCP super-frames, runs of same-flow
/// segments in a batch are first merged into one (GRO, <see cref="TcpCoalescer"/>): traffic that
/// arrived in MTU-sized pieces costs one write per 64 KiB instead of one per packet.
/// </summary>
internal sealed class OffloadWriter
{
    private readonly TcpCoalescer? _coalescer;
    private readonly byte[]? _merged;

    public OffloadWriter(TunOffloads offloads)
    {
        const TunOffloads tso = TunOffloads.Checksum | TunOffloads.Tso4 | TunOffloads.Tso6;
        if ((offloads & tso) != tso) return;
        _coalescer = new TcpCoalescer();
        _merged = GC.AllocateUninitializedArray<byte>(VirtioNetHeader.Length + TcpCoalescer.MaxIpLength);
    }

    /// <summary>Writes every frame of <paramref name="batch"/>; counts what went and what the kernel refused.</summary>
    public void Write(TunDevice device, FrameBatch batch, PortCounters counters)
    {
        if (_coalescer is not null && batch.Count > 1 && AllFinished(batch))
        {
            WriteCoalesced(device, batch, counters);
            return;
        }
        long bytes = 0;
        var written = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            if (WriteOne(device, batch, i))
            {
                written++;
                bytes += batch.Frame(i).Length;
            }
            else
            {
                counters.AddDrop(DropReason.EgressRefused);
            }
        }
        counters.AddTx(written, bytes);
    }

    private void WriteCoalesced(TunDevice device, FrameBatch batch, PortCounters counters)
    {
        var frames = new BatchFrames(batch);
        var outputs = _coalescer!.Coalesce(frames);
        long bytes = 0;
        var written = 0;
        for (var k = 0; k < outputs; k++)
        {
            var output = _coalescer[k];
            var ok = output.IsMerged
                ? _coalescer.TryWrite(frames, k, _merged, out var length) && device.Write(_merged.AsSpan(0, length))
                : WriteOne(device, batch, output.FirstFrame);
            if (ok)
            {
                written += output.FrameCount;
                bytes += output.PacketLength;
            }
            else
            {
                counters.AddDrop(DropReason.EgressRefused, output.FrameCount);
            }
        }
        counters.AddTx(written, bytes);
    }

    private static bool WriteOne(TunDevice device, FrameBatch batch, int index)
    {
        var offset = batch.Offset(index);
        var length = batch.Frame(index).Length;
        var wire = batch.Buffer(index).AsSpan(offset - VirtioNetHeader.Length, VirtioNetHeader.Length + length);
        VirtioNetHeader.Write(wire, batch.Offload(index));
        return device.Write(wire);
    }

    // Super-frames and partial checksums already are what coalescing would make: such a batch goes as it is.
    private static bool AllFinished(FrameBatch batch)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            ref var offload = ref batch.Offload(i);
            if (offload.IsGso || offload.NeedsChecksum) return false;
        }
        return true;
    }

    private readonly struct BatchFrames(FrameBatch batch) : IFrameList
    {
        public int Count => batch.Count;

        public ReadOnlySpan<byte> Frame(int index) => batch.Frame(index);
    }
}
