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
/// arrived in MTU-sized pieces costs one write per 64 KiB instead of one per packet. Runs of
/// same-flow UDP datagrams are merged the same way when the device takes UDP super-frames (USO).
/// </summary>
internal sealed class OffloadWriter
{
    private readonly ICoalescer? _tcp;
    private readonly ICoalescer? _udp;
    private readonly byte[] _merged = [];

    private readonly int _linkHeader;

    /// <param name="linkHeader">14 on a tap: each frame starts with an Ethernet header, which the
    /// header's offsets count and the coalescers (IP only) do not parse, so a tap gets no GRO.</param>
    public OffloadWriter(TunOffloads offloads, int linkHeader = 0)
    {
        _linkHeader = linkHeader;
        if (linkHeader != 0) return;
        const TunOffloads tso = TunOffloads.Checksum | TunOffloads.Tso4 | TunOffloads.Tso6;
        const TunOffloads uso = TunOffloads.Checksum | TunOffloads.Uso4 | TunOffloads.Uso6;
        if ((offloads & tso) == tso) _tcp = new TcpCoalescer();
        if ((offloads & uso) == uso) _udp = new UdpCoalescer();
        if (_tcp is not null || _udp is not null)
            _merged = GC.AllocateUninitializedArray<byte>(VirtioNetHeader.Length + TcpCoalescer.MaxIpLength);
    }

    /// <summary>Writes every frame of <paramref name="batch"/>; counts what went and what the kernel refused.</summary>
    public void Write(TunDevice device, FrameBatch batch, PortCounters counters)
    {
        if (batch.Count > 1 && !HoldsSuperFrame(batch))
        {
            // Each coalescer merges its own protocol and passes everything else through alone;
            // a batch is planned by the one for its first packet (floods are of one kind).
            if (IsUdp(batch.Frame(0)) ? _udp is { } udp && WriteCoalesced(udp, device, batch, counters)
                                       : _tcp is { } tcp && WriteCoalesced(tcp, device, batch, counters))
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

    private bool WriteCoalesced(ICoalescer coalescer, TunDevice device, FrameBatch batch, PortCounters counters)
    {
        var frames = new BatchFrames(batch);
        var outputs = coalescer.Coalesce(frames);
        long bytes = 0;
        int written = 0, writes = 0;
        for (var k = 0; k < outputs; k++)
        {
            var output = coalescer[k];
            var ok = output.IsMerged
                ? coalescer.TryWrite(frames, k, _merged, out var length) && device.Write(_merged.AsSpan(0, length))
                : WriteOne(device, batch, output.FirstFrame);
            Count(ok, output, counters, ref written, ref bytes, ref writes);
        }
        counters.AddTx(written, bytes, writes);
        return true;
    }

    private static void Count(bool ok, CoalescedFrame output, PortCounters counters, ref int written, ref long bytes, ref int writes)
    {
        if (ok)
        {
            written += output.FrameCount;
            bytes += output.PacketLength;
            writes++;
        }
        else
        {
            counters.AddDrop(DropReason.EgressRefused, output.FrameCount);
        }
    }

    private static bool IsUdp(ReadOnlySpan<byte> packet) =>
        packet.Length >= 20 && (packet[0] >> 4) switch
        {
            4 => packet[9] == (byte)IpProtocol.Udp,
            6 => packet.Length >= 40 && packet[6] == (byte)IpProtocol.Udp,
            _ => false,
        };

    private bool WriteOne(TunDevice device, FrameBatch batch, int index)
    {
        var offset = batch.Offset(index);
        var length = batch.Frame(index).Length;
        var wire = batch.Buffer(index).AsSpan(offset - VirtioNetHeader.Length, VirtioNetHeader.Length + length);
        VirtioNetHeader.Write(wire, batch.Offload(index), _linkHeader);
        return device.Write(wire);
    }

    // Super-frames already are what coalescing would make: a batch with one goes as it is.
    private static bool HoldsSuperFrame(FrameBatch batch)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch.Offload(i).IsGso) return true;
        }
        return false;
    }

    private readonly struct BatchFrames(FrameBatch batch) : IFrameList
    {
        public int Count => batch.Count;

        public ReadOnlySpan<byte> Frame(int index) => batch.Frame(index);

        public bool TryGetPendingChecksum(int index, out int start, out int offset)
        {
            ref var offload = ref batch.Offload(index);
            start = offload.ChecksumStart;
            offset = offload.ChecksumOffset;
            return offload.NeedsChecksum;
        }
    }
}
