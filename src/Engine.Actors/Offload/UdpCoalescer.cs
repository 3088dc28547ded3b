using System.Buffers.Binary;
using Engine.Actors.Wire;

namespace Engine.Actors.Offload;

/// <summary>
/// Generic receive offload for UDP: runs of same-flow datagrams of one size in a batch of IP
/// packets on their way into a tun device with USO (see <see cref="UdpMergeCandidate"/> for
/// the rules) become one super-frame with a UDP_L4 virtio header, as a UDP_SEGMENT socket
/// would have sent them, so the kernel takes in one packet where there were dozens. A
/// datagram shorter than the first ends its run; the kernel cuts it off again as the last.
///
/// Use: <see cref="Coalesce"/> plans the output for a batch, then for each of the
/// <see cref="Count"/> outputs, <see cref="TryWrite"/> writes header and packet into a
/// destination buffer. Up to <see cref="MaxOpenFlows"/> flows are merged at once; packets of
/// different flows may change order, packets of one flow never do. One instance serves one
/// writer; it allocates only when a batch is larger than any before.
/// </summary>
public sealed class UdpCoalescer : ICoalescer
{
    /// <summary>The IP length limit: IPv4 total length and IPv6 payload length are 16 bits.</summary>
    public const int MaxIpLength = 65535;

    public const int MaxOpenFlows = 16;

    /// <summary>The most datagrams one super-frame may carry: the kernel's UDP_MAX_SEGMENTS.</summary>
    public const int MaxSegments = 64;

    private readonly int _maxPacketLength;
    private readonly int[] _open = new int[MaxOpenFlows];
    private int _openCount;
    private int[] _next = new int[64];
    private int[] _packetLengths = new int[64];
    private Group[] _groups = new Group[64];
    private int _count;

    /// <param name="maxPacketLength">
    /// The largest merged IP packet; the destination buffers must hold it plus the virtio header.
    /// </param>
    public UdpCoalescer(int maxPacketLength = MaxIpLength)
    {
        if (maxPacketLength is < 1280 or > MaxIpLength)
            throw new ArgumentOutOfRangeException(nameof(maxPacketLength), maxPacketLength, "must be 1280..65535");
        _maxPacketLength = maxPacketLength;
    }

    /// <summary>The number of packets the last <see cref="Coalesce"/> planned.</summary>
    public int Count => _count;

    public CoalescedFrame this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
            ref readonly Group group = ref _groups[index];
            return new CoalescedFrame(group.Head, group.Segments, group.Length);
        }
    }

    /// <summary>
    /// Plans which frames of <paramref name="frames"/> merge; returns how many packets result.
    /// The frames must not change until the last <see cref="TryWrite"/> for this batch.
    /// </summary>
    public int Coalesce<TFrames>(TFrames frames) where TFrames : IFrameList, allows ref struct
    {
        int frameCount = frames.Count;
        EnsureCapacity(frameCount);
        _count = 0;
        _openCount = 0;
        for (int i = 0; i < frameCount; i++)
        {
            ReadOnlySpan<byte> packet = frames.Frame(i);
            _next[i] = -1;
            if (!UdpMergeCandidate.TryRead(packet, out var candidate, out bool hidesFlow))
            {
                if (hidesFlow)
                    _openCount = 0;
                _packetLengths[i] = packet.Length;
                Start(i, default);
                continue;
            }
            _packetLengths[i] = candidate.PacketLength;

            int slot = FindOpen(frames, packet, candidate);
            if (slot >= 0)
            {
                ref Group group = ref _groups[_open[slot]];
                if (TryAppend(ref group, frames.Frame(group.Head), i, packet, candidate))
                {
                    if (candidate.PayloadLength < group.GsoSize || group.Segments == MaxSegments)
                        Close(slot);
                    continue;
                }
                Close(slot);
            }

            int started = Start(i, candidate);
            if (candidate.Eligibility(packet, verifyChecksum: false) == UdpMergeRefusal.None)
                Open(started);
        }
        return _count;
    }

    /// <summary>
    /// Writes output <paramref name="index"/> (virtio header, then the packet) to the start of
    /// <paramref name="destination"/>. False when it does not fit; nothing is then written.
    /// </summary>
    public bool TryWrite<TFrames>(TFrames frames, int index, Span<byte> destination, out int written)
        where TFrames : IFrameList, allows ref struct
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
        ref readonly Group group = ref _groups[index];
        written = VirtioNetHeader.Length + group.Length;
        if (destination.Length < written)
        {
            written = 0;
            return false;
        }

        Span<byte> packet = destination[VirtioNetHeader.Length..written];
        ReadOnlySpan<byte> head = frames.Frame(group.Head);
        if (group.Segments == 1)
        {
            VirtioNetHeader.WriteNone(destination);
            head[..group.Length].CopyTo(packet);
            return true;
        }

        UdpMergeCandidate first = group.First;
        int headers = first.HeadersLength;
        head[..first.PacketLength].CopyTo(packet);
        int position = first.PacketLength;
        for (int frame = _next[group.Head]; frame >= 0; frame = _next[frame])
        {
            ReadOnlySpan<byte> payload = frames.Frame(frame)[headers.._packetLengths[frame]];
            payload.CopyTo(packet[position..]);
            position += payload.Length;
        }

        if (first.IsIpv6)
        {
            BinaryPrimitives.WriteUInt16BigEndian(packet[Ipv6Packet.Field.PayloadLength..], (ushort)(group.Length - Ipv6Packet.Field.HeaderLength));
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(packet[Ipv4Packet.Field.TotalLength..], (ushort)group.Length);
            Span<byte> checksum = packet.Slice(Ipv4Packet.Field.Checksum, 2);
            checksum.Clear();
            BinaryPrimitives.WriteUInt16BigEndian(checksum, InternetChecksum.Compute(packet[..first.TransportOffset]));
        }
        // As the kernel's own UDP_L4 super-frames: the length of the whole merged datagram, in
        // the length field and in the pseudo-header sum; segmentation swaps in each one's own.
        BinaryPrimitives.WriteUInt16BigEndian(packet[(first.TransportOffset + UdpDatagram.Field.Length)..], (ushort)(group.Length - first.TransportOffset));
        TransportChecksum.FillPartial(packet, first.TransportOffset, IpProtocol.Udp);

        VirtioNetHeader.Write(
            destination,
            VirtioNetFlags.NeedsChecksum,
            VirtioGsoType.UdpL4,
            (ushort)headers,
            (ushort)group.GsoSize,
            (ushort)first.TransportOffset,
            UdpDatagram.Field.Checksum);
        return true;
    }

    private int FindOpen<TFrames>(TFrames frames, ReadOnlySpan<byte> packet, in UdpMergeCandidate candidate)
        where TFrames : IFrameList, allows ref struct
    {
        for (int slot = 0; slot < _openCount; slot++)
        {
            ref readonly Group group = ref _groups[_open[slot]];
            if (group.First.SameFlow(frames.Frame(group.Head), candidate, packet))
                return slot;
        }
        return -1;
    }

    private bool TryAppend(ref Group group, ReadOnlySpan<byte> head, int frame, ReadOnlySpan<byte> packet, in UdpMergeCandidate candidate)
    {
        // The head's checksum waits until a second datagram comes: a lone packet never pays for it.
        if (group.Segments == 1 && group.First.Eligibility(head, verifyChecksum: true) != UdpMergeRefusal.None)
            return false;
        if (group.First.Admits(head, group.Segments, group.GsoSize, group.Length, _maxPacketLength, candidate, packet) != UdpMergeRefusal.None)
            return false;

        _next[group.Tail] = frame;
        group.Tail = frame;
        group.Segments++;
        group.Length += candidate.PayloadLength;
        return true;
    }

    private int Start(int frame, in UdpMergeCandidate candidate)
    {
        int index = _count++;
        _groups[index] = new Group
        {
            Head = frame,
            Tail = frame,
            Segments = 1,
            Length = _packetLengths[frame],
            GsoSize = candidate.PayloadLength,
            First = candidate,
        };
        return index;
    }

    private void Open(int group)
    {
        if (_openCount == MaxOpenFlows)
            Close(0);
        _open[_openCount++] = group;
    }

    private void Close(int slot)
    {
        _openCount--;
        Array.Copy(_open, slot + 1, _open, slot, _openCount - slot);
    }

    private void EnsureCapacity(int frames)
    {
        if (_next.Length >= frames)
            return;
        int size = Math.Max(frames, _next.Length * 2);
        _next = new int[size];
        _packetLengths = new int[size];
        _groups = new Group[size];
    }

    /// <summary>One output packet: a lone frame, or datagrams chained through <see cref="_next"/>.</summary>
    private struct Group
    {
        public int Head;
        public int Tail;
        public int Segments;
        public int Length;
        public int GsoSize;
        public UdpMergeCandidate First;
    }
}
