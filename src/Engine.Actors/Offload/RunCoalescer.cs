using System.Buffers.Binary;
using Engine.Actors.Wire;

namespace Engine.Actors.Offload;

/// <summary>
/// Generic receive offload over one protocol's rules (<typeparamref name="TCandidate"/>): runs
/// of same-flow packets in a batch bound for a tun device become one super-frame with a virtio
/// header, so the kernel takes in one packet where there were dozens.
///
/// Use: <see cref="Coalesce"/> plans the output for a batch, then for each of the
/// <see cref="Count"/> outputs, <see cref="TryWrite"/> writes header and packet into a
/// destination buffer. Up to <see cref="MaxOpenFlows"/> flows are merged at once; packets of
/// different flows may change order, packets of one flow never do. One instance serves one
/// writer; it allocates only when a batch is larger than any before.
///
/// A packet whose checksum is still pending (NEEDS_CSUM, as a local sender's kernel hands over
/// nearly every packet through a tun with offloads) merges like a finished one, without the
/// verification: there is nothing to verify yet, and the merged frame's checksum is pending
/// anyway. One pending anywhere but the protocol's checksum field stands alone and ends every
/// open run, so no flow's later packets can overtake it. A packet of an IP version the device
/// takes no super-frames of stands alone too.
/// </summary>
internal abstract class RunCoalescer<TCandidate> : ICoalescer where TCandidate : struct, IMergeCandidate<TCandidate>
{

    /// <summary>The IP length limit: IPv4 total length and IPv6 payload length are 16 bits.</summary>
    public const int MaxIpLength = 65535;

    public const int MaxOpenFlows = 16;

    private readonly int _maxPacketLength;
    private readonly IpVersions _versions;
    private readonly int[] _open = new int[MaxOpenFlows];
    private int _openCount;
    private int[] _next = new int[64];
    private int[] _packetLengths = new int[64];
    private bool[] _checksumPending = new bool[64];
    private Group[] _groups = new Group[64];
    private int _count;

    /// <param name="maxPacketLength">
    /// The largest merged IP packet; the destination buffers must hold it plus the virtio header.
    /// </param>
    /// <param name="versions">The IP versions whose packets may merge.</param>
    protected RunCoalescer(int maxPacketLength, IpVersions versions)
    {
        if (maxPacketLength is < 1280 or > MaxIpLength)
            throw new ArgumentOutOfRangeException(nameof(maxPacketLength), maxPacketLength, "must be 1280..65535");
        _maxPacketLength = maxPacketLength;
        _versions = versions;
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
            if (!TCandidate.TryRead(packet, out var candidate, out bool hidesFlow))
            {
                if (hidesFlow)
                    _openCount = 0;
                _packetLengths[i] = packet.Length;
                Start(i, default);
                continue;
            }
            _packetLengths[i] = candidate.PacketLength;
            _checksumPending[i] = frames.TryGetPendingChecksum(i, out int start, out int offset);
            if (_checksumPending[i] && (start != candidate.TransportOffset || offset != candidate.ChecksumOffset))
            {
                _openCount = 0;
                Start(i, candidate);
                continue;
            }
            if ((_versions & (candidate.IsIpv6 ? IpVersions.Ipv6 : IpVersions.Ipv4)) == 0)
            {
                Start(i, candidate); // its own flow: it closes no run of the other version
                continue;
            }

            int slot = FindOpen(frames, packet, candidate);
            if (slot >= 0)
            {
                ref Group group = ref _groups[_open[slot]];
                if (TryAppend(ref group, frames.Frame(group.Head), i, packet, candidate, _checksumPending[i]))
                {
                    if (candidate.EndsRun(group.GsoSize, group.Segments))
                        Close(slot);
                    continue;
                }
                Close(slot);
            }

            int started = Start(i, candidate);
            if (candidate.MayStartRun(packet))
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
            if (frames.TryGetPendingChecksum(group.Head, out int start, out int offset))
                VirtioNetHeader.Write(destination, VirtioNetFlags.NeedsChecksum, VirtioGsoType.None, 0, 0, (ushort)start, (ushort)offset);
            else
                VirtioNetHeader.WriteNone(destination);
            head[..group.Length].CopyTo(packet);
            return true;
        }

        TCandidate first = group.First;
        int headers = first.HeadersLength;
        head[..first.PacketLength].CopyTo(packet);
        int position = first.PacketLength;
        int last = group.Head;
        for (int frame = _next[group.Head]; frame >= 0; frame = _next[frame])
        {
            ReadOnlySpan<byte> payload = frames.Frame(frame)[headers.._packetLengths[frame]];
            payload.CopyTo(packet[position..]);
            position += payload.Length;
            last = frame;
        }

        IpLength.Write(packet, group.Length, first.IsIpv6, first.TransportOffset);
        first.FinishMerged(packet, frames.Frame(last), group.Length);
        TransportChecksum.FillPartial(packet, first.TransportOffset, first.Protocol);

        VirtioNetHeader.Write(
            destination,
            VirtioNetFlags.NeedsChecksum,
            first.GsoType,
            (ushort)headers,
            (ushort)group.GsoSize,
            (ushort)first.TransportOffset,
            (ushort)first.ChecksumOffset);
        return true;
    }

    private int FindOpen<TFrames>(TFrames frames, ReadOnlySpan<byte> packet, in TCandidate candidate)
        where TFrames : IFrameList, allows ref struct
    {
        for (int slot = 0; slot < _openCount; slot++)
        {
            ref readonly Group group = ref _groups[_open[slot]];
            if (IpRunRules.SameFlow(frames.Frame(group.Head), group.First.IsIpv6, group.First.TransportOffset, packet, candidate.IsIpv6, candidate.TransportOffset))
                return slot;
        }
        return -1;
    }

    private bool TryAppend(ref Group group, ReadOnlySpan<byte> head, int frame, ReadOnlySpan<byte> packet, in TCandidate candidate, bool checksumPending)
    {
        // The head passed every other rule when its run opened; its checksum waits until a second
        // packet comes, so a lone packet never pays for it.
        ref readonly TCandidate first = ref group.First;
        if (group.Segments == 1 && !_checksumPending[group.Head]
            && !TransportChecksum.IsValid(head[..first.PacketLength], first.TransportOffset, first.Protocol))
            return false;
        if (!group.First.MayFollow(head, group.Segments, group.GsoSize, group.Length, _maxPacketLength, candidate, packet, checksumPending))
            return false;

        _next[group.Tail] = frame;
        group.Tail = frame;
        group.Segments++;
        group.Length += candidate.PayloadLength;
        return true;
    }

    private int Start(int frame, in TCandidate candidate)
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
        _checksumPending = new bool[size];
        _groups = new Group[size];
    }

    /// <summary>One output packet: a lone frame, or packets chained through <see cref="_next"/>.</summary>
    private struct Group
    {
        public int Head;
        public int Tail;
        public int Segments;
        public int Length;
        public int GsoSize;
        public TCandidate First;
    }
}
