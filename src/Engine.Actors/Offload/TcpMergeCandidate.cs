using System.Buffers.Binary;
using Engine.Actors.Wire;

namespace Engine.Actors.Offload;

/// <summary>
/// What the coalescer needs to know about one TCP packet, read once: where its headers end,
/// its sequence number and flags. The rules for joining a super-frame are here too, so that
/// every rule is in one place and each can be asked about on its own.
/// </summary>
internal readonly struct TcpMergeCandidate : IMergeCandidate<TcpMergeCandidate>
{
    private const TcpFlags MergeableFlags = TcpFlags.Ack | TcpFlags.Psh;

    private TcpMergeCandidate(bool isIpv6, int packetLength, int transportOffset, int headersLength, uint sequence, TcpFlags flags)
    {
        IsIpv6 = isIpv6;
        PacketLength = packetLength;
        TransportOffset = transportOffset;
        HeadersLength = headersLength;
        Sequence = sequence;
        Flags = flags;
    }

    public bool IsIpv6 { get; }

    /// <summary>The IP packet's own length; bytes after it in the frame are not part of it.</summary>
    public int PacketLength { get; }

    public int TransportOffset { get; }

    /// <summary>IP and TCP headers, options included.</summary>
    public int HeadersLength { get; }

    public int PayloadLength => PacketLength - HeadersLength;

    public uint Sequence { get; }

    public TcpFlags Flags { get; }

    public IpProtocol Protocol => IpProtocol.Tcp;

    public VirtioGsoType GsoType => IsIpv6 ? VirtioGsoType.TcpV6 : VirtioGsoType.TcpV4;

    public int ChecksumOffset => TcpSegment.Field.Checksum;

    public bool MayStartRun(ReadOnlySpan<byte> packet) =>
        (Flags & TcpFlags.Psh) == 0 && Eligibility(packet, verifyChecksum: false) == TcpMergeRefusal.None;


    // The run's next byte follows the payload merged so far: everything after the head's headers.
    public bool MayFollow(ReadOnlySpan<byte> head, int count, int gsoSize, int mergedLength, int maxLength, in TcpMergeCandidate next, ReadOnlySpan<byte> nextPacket, bool nextChecksumPending) =>
        Admits(head, count, gsoSize, mergedLength, Sequence + (uint)(mergedLength - HeadersLength), maxLength, next, nextPacket, nextChecksumPending) == TcpMergeRefusal.None;

    /// <summary>PSH, or a short segment, is the end of what the sender had to say for now.</summary>
    public bool EndsRun(int gsoSize, int count) => (Flags & TcpFlags.Psh) != 0 || PayloadLength < gsoSize;

    /// <summary>The merged segment pushes if its last one did.</summary>
    public void FinishMerged(Span<byte> merged, ReadOnlySpan<byte> lastPacket, int mergedLength)
    {
        int flags = TransportOffset + TcpSegment.Field.Flags;
        merged[flags] |= (byte)(lastPacket[flags] & (byte)TcpFlags.Psh);
    }

    /// <summary>
    /// Reads a TCP packet whose ports are visible. False for anything else; then
    /// <paramref name="hidesFlow"/> says whether it may still belong to a TCP flow (an IPv4
    /// fragment after the first, an IPv6 packet with extension headers), which no open
    /// super-frame may then be extended past.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> packet, out TcpMergeCandidate candidate, out bool hidesFlow)
    {
        candidate = default;
        if (!IpRunRules.TryRead(packet, IpProtocol.Tcp, out bool v6, out int transportOffset, out int length, out hidesFlow))
            return false;
        if (!TcpSegment.TryGetHeaderLength(packet[transportOffset..length], out int tcpHeaderLength))
            return false;
        ReadOnlySpan<byte> tcp = packet[transportOffset..];
        candidate = new TcpMergeCandidate(
            v6,
            length,
            transportOffset,
            transportOffset + tcpHeaderLength,
            BinaryPrimitives.ReadUInt32BigEndian(tcp[TcpSegment.Field.SequenceNumber..]),
            (TcpFlags)tcp[TcpSegment.Field.Flags]);
        return true;
    }

    /// <summary>
    /// Whether this segment may be part of a super-frame at all. The checksum is verified only
    /// when asked (it is the one costly rule): a merged frame goes to the kernel as NEEDS_CSUM,
    /// whose checksum it trusts, so a corrupt segment must not be hidden inside one.
    /// </summary>
    public TcpMergeRefusal Eligibility(ReadOnlySpan<byte> packet, bool verifyChecksum)
    {
        if (!IsIpv6 && IpRunRules.Eligibility(packet, TransportOffset) is var ipv4 and not IpRunRefusal.None)
            return From(ipv4);
        if ((Flags & ~MergeableFlags) != 0 || (Flags & TcpFlags.Ack) == 0)
            return TcpMergeRefusal.Flags;
        if (PayloadLength == 0)
            return TcpMergeRefusal.NoPayload;
        if (verifyChecksum && !TransportChecksum.IsValid(packet[..PacketLength], TransportOffset, IpProtocol.Tcp))
            return TcpMergeRefusal.BadChecksum;
        return TcpMergeRefusal.None;
    }

    /// <summary>
    /// Whether <paramref name="next"/> may follow the segments merged so far behind this head:
    /// <paramref name="count"/> segments of <paramref name="gsoSize"/> payload bytes each,
    /// <paramref name="mergedLength"/> bytes in all, the next byte expected at
    /// <paramref name="nextSequence"/>. The flow is already known to match.
    /// </summary>
    public TcpMergeRefusal Admits(
        ReadOnlySpan<byte> head,
        int count,
        int gsoSize,
        int mergedLength,
        uint nextSequence,
        int maxLength,
        in TcpMergeCandidate next,
        ReadOnlySpan<byte> nextPacket,
        bool nextChecksumPending = false)
    {
        if (IpRunRules.Admits(head, count, nextPacket, IsIpv6) is var ip and not IpRunRefusal.None)
            return From(ip);

        ReadOnlySpan<byte> tcp = head[TransportOffset..HeadersLength];
        ReadOnlySpan<byte> nextTcp = nextPacket[next.TransportOffset..next.HeadersLength];
        if (tcp.Length != nextTcp.Length
            || tcp[TcpSegment.Field.DataOffset] != nextTcp[TcpSegment.Field.DataOffset]
            || !tcp[TcpSegment.Field.MinHeaderLength..].SequenceEqual(nextTcp[TcpSegment.Field.MinHeaderLength..]))
            return TcpMergeRefusal.TcpOptions;
        if (!tcp.Slice(TcpSegment.Field.AcknowledgmentNumber, 4).SequenceEqual(nextTcp.Slice(TcpSegment.Field.AcknowledgmentNumber, 4)))
            return TcpMergeRefusal.Acknowledgment;
        if (!tcp.Slice(TcpSegment.Field.Window, 2).SequenceEqual(nextTcp.Slice(TcpSegment.Field.Window, 2)))
            return TcpMergeRefusal.Window;
        if (next.Sequence != nextSequence)
            return TcpMergeRefusal.Sequence;
        if (next.PayloadLength > gsoSize)
            return TcpMergeRefusal.SegmentSize;
        if (mergedLength + next.PayloadLength > maxLength)
            return TcpMergeRefusal.TooLarge;
        return next.Eligibility(nextPacket, verifyChecksum: !nextChecksumPending);
    }

    /// <summary>
    /// The rules applied to two packets alone: why <paramref name="second"/> could not follow
    /// <paramref name="first"/> in a super-frame, or <see cref="TcpMergeRefusal.None"/>.
    /// </summary>
    public static TcpMergeRefusal Pair(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, int maxLength = TcpCoalescer.MaxIpLength)
    {
        if (!TryRead(first, out var head, out _) || !TryRead(second, out var next, out _))
            return TcpMergeRefusal.DifferentFlow;
        TcpMergeRefusal eligibility = head.Eligibility(first, verifyChecksum: true);
        if (eligibility != TcpMergeRefusal.None)
            return eligibility;
        if ((head.Flags & TcpFlags.Psh) != 0)
            return TcpMergeRefusal.Pushed;
        if (!IpRunRules.SameFlow(first, head.IsIpv6, head.TransportOffset, second, next.IsIpv6, next.TransportOffset))
            return TcpMergeRefusal.DifferentFlow;
        return head.Admits(first, 1, head.PayloadLength, head.PacketLength, head.Sequence + (uint)head.PayloadLength, maxLength, next, second);
    }

    private static TcpMergeRefusal From(IpRunRefusal refusal) => refusal switch
    {
        IpRunRefusal.IpOptions => TcpMergeRefusal.IpOptions,
        IpRunRefusal.Fragment => TcpMergeRefusal.Fragment,
        IpRunRefusal.TypeOfService => TcpMergeRefusal.TypeOfService,
        IpRunRefusal.FlowLabel => TcpMergeRefusal.FlowLabel,
        IpRunRefusal.TtlOrHopLimit => TcpMergeRefusal.TtlOrHopLimit,
        IpRunRefusal.DontFragment => TcpMergeRefusal.DontFragment,
        IpRunRefusal.Identification => TcpMergeRefusal.Identification,
        _ => TcpMergeRefusal.None,
    };
}
