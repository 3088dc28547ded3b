using System.Buffers.Binary;
using Engine.Actors.Wire;

namespace Engine.Actors.Offload;

/// <summary>
/// What the coalescer needs to know about one UDP datagram, read once: where its headers end
/// and how long it is. The rules for joining a UDP_L4 super-frame are here too, each one
/// answerable on its own.
/// </summary>
internal readonly struct UdpMergeCandidate : IMergeCandidate<UdpMergeCandidate>
{

    private UdpMergeCandidate(bool isIpv6, int packetLength, int transportOffset)
    {
        IsIpv6 = isIpv6;
        PacketLength = packetLength;
        TransportOffset = transportOffset;
    }

    public bool IsIpv6 { get; }

    /// <summary>The IP packet's own length; bytes after it in the frame are not part of it.</summary>
    public int PacketLength { get; }

    public int TransportOffset { get; }

    /// <summary>IP and UDP headers.</summary>
    public int HeadersLength => TransportOffset + UdpDatagram.Field.HeaderLength;

    public int PayloadLength => PacketLength - HeadersLength;

    public IpProtocol Protocol => IpProtocol.Udp;

    public VirtioGsoType GsoType => VirtioGsoType.UdpL4;

    public int ChecksumOffset => UdpDatagram.Field.Checksum;

    public bool MayStartRun(ReadOnlySpan<byte> packet) => Eligibility(packet, verifyChecksum: false) == UdpMergeRefusal.None;


    public bool MayFollow(ReadOnlySpan<byte> head, int count, int gsoSize, int mergedLength, int maxLength, in UdpMergeCandidate next, ReadOnlySpan<byte> nextPacket, bool nextChecksumPending) =>
        Admits(head, count, gsoSize, mergedLength, maxLength, next, nextPacket, nextChecksumPending) == UdpMergeRefusal.None;

    /// <summary>A shorter datagram is the last the kernel can cut off again; a full super-frame ends too.</summary>
    public bool EndsRun(int gsoSize, int count) => PayloadLength < gsoSize || count == UdpCoalescer.MaxSegments;

    /// <summary>
    /// As the kernel's own UDP_L4 super-frames: the length of the whole merged datagram, in the
    /// length field (and so in the pseudo-header sum); segmentation swaps in each one's own.
    /// </summary>
    public void FinishMerged(Span<byte> merged, ReadOnlySpan<byte> lastPacket, int mergedLength) =>
        BinaryPrimitives.WriteUInt16BigEndian(merged[(TransportOffset + UdpDatagram.Field.Length)..], (ushort)(mergedLength - TransportOffset));

    /// <summary>
    /// Reads a UDP datagram whose ports are visible. False for anything else; then
    /// <paramref name="hidesFlow"/> says whether it may still belong to a UDP flow (an IPv4
    /// fragment after the first, an IPv6 packet with extension headers), which no open
    /// super-frame may then be extended past.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> packet, out UdpMergeCandidate candidate, out bool hidesFlow)
    {
        candidate = default;
        if (!IpRunRules.TryRead(packet, IpProtocol.Udp, out bool v6, out int transportOffset, out int length, out hidesFlow))
            return false;

        if (length - transportOffset < UdpDatagram.Field.HeaderLength)
            return false;
        candidate = new UdpMergeCandidate(v6, length, transportOffset);
        return true;
    }

    /// <summary>
    /// Whether this datagram may be part of a super-frame at all. The checksum is verified only
    /// when asked (it is the one costly rule): a merged frame goes to the kernel as NEEDS_CSUM,
    /// whose checksum it trusts, so a corrupt datagram must not be hidden inside one.
    /// </summary>
    public UdpMergeRefusal Eligibility(ReadOnlySpan<byte> packet, bool verifyChecksum)
    {
        if (!IsIpv6 && IpRunRules.Eligibility(packet, TransportOffset) is var ipv4 and not IpRunRefusal.None)
            return From(ipv4);
        ReadOnlySpan<byte> udp = packet[TransportOffset..PacketLength];
        if (BinaryPrimitives.ReadUInt16BigEndian(udp[UdpDatagram.Field.Length..]) != udp.Length)
            return UdpMergeRefusal.Length;
        if (PayloadLength == 0)
            return UdpMergeRefusal.NoPayload;
        if (BinaryPrimitives.ReadUInt16BigEndian(udp[UdpDatagram.Field.Checksum..]) == 0)
            return UdpMergeRefusal.NoChecksum;
        if (verifyChecksum && !TransportChecksum.IsValid(packet[..PacketLength], TransportOffset, IpProtocol.Udp))
            return UdpMergeRefusal.BadChecksum;
        return UdpMergeRefusal.None;
    }

    /// <summary>
    /// Whether <paramref name="next"/> may follow the datagrams merged so far behind this head:
    /// <paramref name="count"/> datagrams of <paramref name="gsoSize"/> payload bytes each,
    /// <paramref name="mergedLength"/> bytes in all. The flow is already known to match.
    /// </summary>
    public UdpMergeRefusal Admits(
        ReadOnlySpan<byte> head,
        int count,
        int gsoSize,
        int mergedLength,
        int maxLength,
        in UdpMergeCandidate next,
        ReadOnlySpan<byte> nextPacket,
        bool nextChecksumPending = false)
    {
        if (IpRunRules.Admits(head, count, nextPacket, IsIpv6) is var ip and not IpRunRefusal.None)
            return From(ip);
        if (count >= UdpCoalescer.MaxSegments)
            return UdpMergeRefusal.TooManySegments;
        if (next.PayloadLength > gsoSize)
            return UdpMergeRefusal.SegmentSize;
        if (mergedLength + next.PayloadLength > maxLength)
            return UdpMergeRefusal.TooLarge;
        return next.Eligibility(nextPacket, verifyChecksum: !nextChecksumPending);
    }

    /// <summary>
    /// The rules applied to two datagrams alone: why <paramref name="second"/> could not follow
    /// <paramref name="first"/> in a super-frame, or <see cref="UdpMergeRefusal.None"/>.
    /// </summary>
    public static UdpMergeRefusal Pair(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, int maxLength = UdpCoalescer.MaxIpLength)
    {
        if (!TryRead(first, out var head, out _) || !TryRead(second, out var next, out _))
            return UdpMergeRefusal.DifferentFlow;
        UdpMergeRefusal eligibility = head.Eligibility(first, verifyChecksum: true);
        if (eligibility != UdpMergeRefusal.None)
            return eligibility;
        if (!IpRunRules.SameFlow(first, head.IsIpv6, head.TransportOffset, second, next.IsIpv6, next.TransportOffset))
            return UdpMergeRefusal.DifferentFlow;
        return head.Admits(first, 1, head.PayloadLength, head.PacketLength, maxLength, next, second);
    }

    private static UdpMergeRefusal From(IpRunRefusal refusal) => refusal switch
    {
        IpRunRefusal.IpOptions => UdpMergeRefusal.IpOptions,
        IpRunRefusal.Fragment => UdpMergeRefusal.Fragment,
        IpRunRefusal.TypeOfService => UdpMergeRefusal.TypeOfService,
        IpRunRefusal.FlowLabel => UdpMergeRefusal.FlowLabel,
        IpRunRefusal.TtlOrHopLimit => UdpMergeRefusal.TtlOrHopLimit,
        IpRunRefusal.DontFragment => UdpMergeRefusal.DontFragment,
        IpRunRefusal.Identification => UdpMergeRefusal.Identification,
        _ => UdpMergeRefusal.None,
    };
}
