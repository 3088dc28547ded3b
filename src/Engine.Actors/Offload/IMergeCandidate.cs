using Engine.Actors.Wire;

namespace Engine.Actors.Offload;

/// <summary>
/// One protocol's rules for <see cref="RunCoalescer{TCandidate}"/>: what a packet of it is
/// (read once, then kept as the candidate), which packets may run together, and what a merged
/// packet needs besides the IP lengths every protocol shares.
/// </summary>
internal interface IMergeCandidate<TSelf> where TSelf : struct, IMergeCandidate<TSelf>
{
    /// <summary>
    /// Reads <paramref name="packet"/> as this protocol; false for anything else.
    /// <paramref name="hidesFlow"/>: the packet's flow cannot be told (a later IPv4 fragment, IPv6
    /// extension headers), so no open run may continue past it.
    /// </summary>
    static abstract bool TryRead(ReadOnlySpan<byte> packet, out TSelf candidate, out bool hidesFlow);

    bool IsIpv6 { get; }
    int PacketLength { get; }
    int TransportOffset { get; }
    int HeadersLength { get; }
    int PayloadLength { get; }

    IpProtocol Protocol { get; }
    VirtioGsoType GsoType { get; }

    /// <summary>Where the transport checksum sits, from the transport header.</summary>
    int ChecksumOffset { get; }

    /// <summary>This packet may head a run (its checksum is checked only once a second one comes).</summary>
    bool MayStartRun(ReadOnlySpan<byte> packet);

    /// <summary>
    /// <paramref name="next"/> may follow the <paramref name="count"/> packets merged behind this
    /// head (<paramref name="gsoSize"/> payload bytes each, <paramref name="mergedLength"/> bytes in all).
    /// Its checksum is verified unless <paramref name="nextChecksumPending"/>: a pending one is
    /// finished after the merge, as it would have been without it.
    /// </summary>
    bool MayFollow(ReadOnlySpan<byte> head, int count, int gsoSize, int mergedLength, int maxLength, in TSelf next, ReadOnlySpan<byte> nextPacket, bool nextChecksumPending);

    /// <summary>Having just joined a run of <paramref name="count"/>, this packet closes it.</summary>
    bool EndsRun(int gsoSize, int count);

    /// <summary>Transport header fields a merged packet carries beyond what its head had.</summary>
    void FinishMerged(Span<byte> merged, ReadOnlySpan<byte> lastPacket, int mergedLength);
}
