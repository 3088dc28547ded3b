using System.Buffers.Binary;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Dataplane;
using Engine.Actors.Offload;
using Engine.Actors.Routing;
using Engine.Actors.Wire;
using Engine.Native;
using Engine.Native.Tun;

namespace Engine.Actors.Devices;

/// <summary>
/// Writes batches to a device opened with a virtio-net header. Each frame's header goes into
/// the headroom in front of it (a super-frame's segmentation, a partial checksum, or all zero),
/// so a frame is still one write. When the device takes TCP super-frames, runs of same-flow
/// segments in a batch are first merged into one (GRO, <see cref="TcpCoalescer"/>): traffic that
/// arrived in MTU-sized pieces costs one write per 64 KiB instead of one per packet. Runs of
/// same-flow UDP datagrams are merged the same way when the device takes UDP super-frames (USO).
/// On a tap the coalescers see the IP packet behind each Ethernet header, and a batch is merged
/// only when all its frames carry the same one, which the merged frame then carries.
/// </summary>
internal sealed class OffloadWriter
{
    private readonly ICoalescer? _tcp;
    private readonly ICoalescer? _udp;
    private readonly byte[] _merged = [];

    private readonly int _linkHeader;
    private readonly FrameFaults _faults;

    /// <param name="faults">Where a fault while writing one frame is counted and logged.</param>
    /// <param name="linkHeader">14 on a tap: each frame starts with an Ethernet header, which the
    /// virtio header's offsets count and the coalescers (IP only) skip.</param>
    /// <param name="takes">What the device takes unfinished (the router is told the same): GRO
    /// builds only super-frames of those kinds.</param>
    public OffloadWriter(PortOffloads takes, FrameFaults faults, int linkHeader = 0)
    {
        _linkHeader = linkHeader;
        _faults = faults;
        var tcp = ((takes & PortOffloads.TcpV4) != 0 ? IpVersions.Ipv4 : IpVersions.None)
            | ((takes & PortOffloads.TcpV6) != 0 ? IpVersions.Ipv6 : IpVersions.None);
        if (tcp != IpVersions.None) _tcp = new TcpCoalescer(versions: tcp);
        if ((takes & PortOffloads.Udp) != 0) _udp = new UdpCoalescer();
        if (_tcp is not null || _udp is not null)
            _merged = GC.AllocateUninitializedArray<byte>(VirtioNetHeader.Length + linkHeader + TcpCoalescer.MaxIpLength);
    }

    /// <summary>
    /// Writes every frame of <paramref name="batch"/>; counts what went and what the kernel
    /// refused. A fault while planning the merge costs nothing but the merge (the frames go one by
    /// one); a fault while writing one frame costs that frame. A broken device throws.
    /// </summary>
    public void Write(TunDevice device, FrameBatch batch, PortCounters counters)
    {
        if (batch.Count > 1 && !HoldsSuperFrame(batch) && SharesLinkHeader(batch))
        {
            // Each coalescer merges its own protocol and passes everything else through alone;
            // a batch is planned by the one for its first packet (floods are of one kind).
            var coalescer = IsUdp(new BatchFrames(batch, _linkHeader).Frame(0)) ? _udp : _tcp;
            if (coalescer is not null && TryCoalesce(coalescer, batch, device.Name, out var outputs))
            {
                WriteCoalesced(coalescer, outputs, device, batch, counters);
                return;
            }
        }
        long bytes = 0;
        var written = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            try
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
            catch (Exception fault) when (fault is not NativeException)
            {
                _faults.Record(fault, counters, device.Name);
            }
        }
        counters.AddTx(written, bytes);
    }

    private bool TryCoalesce(ICoalescer coalescer, FrameBatch batch, string device, out int outputs)
    {
        try
        {
            outputs = coalescer.Coalesce(new BatchFrames(batch, _linkHeader));
            return true;
        }
        catch (Exception fault)
        {
            _faults.Record(fault, counters: null, device);
            outputs = 0;
            return false;
        }
    }

    private void WriteCoalesced(ICoalescer coalescer, int outputs, TunDevice device, FrameBatch batch, PortCounters counters)
    {
        var frames = new BatchFrames(batch, _linkHeader);
        long bytes = 0;
        int written = 0, writes = 0;
        for (var k = 0; k < outputs; k++)
        {
            var output = coalescer[k];
            try
            {
                var ok = output.IsMerged ? WriteMerged(coalescer, frames, k, device, batch.Frame(output.FirstFrame)) : WriteOne(device, batch, output.FirstFrame);
                if (ok)
                {
                    written += output.FrameCount;
                    bytes += output.IsMerged ? _linkHeader + output.PacketLength : batch.Frame(output.FirstFrame).Length;
                    writes++;
                }
                else
                {
                    counters.AddDrop(DropReason.EgressRefused, output.FrameCount);
                }
            }
            catch (Exception fault) when (fault is not NativeException)
            {
                // The merged frames fell together: each is counted.
                _faults.Record(fault, counters, device.Name);
                counters.AddDrop(DropReason.Malformed, output.FrameCount - 1);
            }
        }
        counters.AddTx(written, bytes, writes);
    }

    /// <summary>
    /// Writes merged output <paramref name="index"/>. On a tap the coalescer writes its virtio
    /// header and packet behind room for the link header; the virtio header then moves to the
    /// front, the head frame's link header goes between, and the offsets count it.
    /// </summary>
    private bool WriteMerged(ICoalescer coalescer, BatchFrames frames, int index, TunDevice device, ReadOnlySpan<byte> head)
    {
        if (!coalescer.TryWrite(frames, index, _merged.AsSpan(_linkHeader), out var length))
            return false;
        if (_linkHeader != 0)
        {
            _merged.AsSpan(_linkHeader, VirtioNetHeader.Length).CopyTo(_merged);
            head[.._linkHeader].CopyTo(_merged.AsSpan(VirtioNetHeader.Length));
            VirtioNetHeader.MoveBehind(_merged, _linkHeader);
        }
        return device.Write(_merged.AsSpan(0, _linkHeader + length));
    }

    // On a tap, frames merge only under one Ethernet header: the same next hop for all of them.
    private bool SharesLinkHeader(FrameBatch batch)
    {
        if (_linkHeader == 0) return true;
        var first = batch.Frame(0);
        if (first.Length < _linkHeader) return false;
        for (var i = 1; i < batch.Count; i++)
        {
            var frame = batch.Frame(i);
            if (frame.Length < _linkHeader || !frame[.._linkHeader].SequenceEqual(first[.._linkHeader])) return false;
        }
        return true;
    }

    private static bool IsUdp(ReadOnlySpan<byte> packet) =>
        packet.Length >= Ipv4Packet.Field.MinHeaderLength && (packet[0] >> 4) switch
        {
            4 => packet[Ipv4Packet.Field.Protocol] == (byte)IpProtocol.Udp,
            6 => packet.Length >= Ipv6Packet.Field.HeaderLength && packet[Ipv6Packet.Field.NextHeader] == (byte)IpProtocol.Udp,
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

    /// <summary>The batch's IP packets: behind the link header on a tap, nothing for a frame that carries no IP.</summary>
    private readonly struct BatchFrames(FrameBatch batch, int linkHeader) : IFrameList
    {
        public int Count => batch.Count;

        public ReadOnlySpan<byte> Frame(int index)
        {
            var frame = batch.Frame(index);
            if (linkHeader == 0) return frame;
            if (frame.Length < linkHeader) return default;
            var etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[EthernetFrame.Field.EtherType..]);
            return etherType is EtherType.Ipv4 or EtherType.Ipv6 ? frame[linkHeader..] : default;
        }

        public bool TryGetPendingChecksum(int index, out int start, out int offset)
        {
            ref var offload = ref batch.Offload(index);
            start = offload.ChecksumStart;
            offset = offload.ChecksumOffset;
            return offload.NeedsChecksum;
        }
    }
}
