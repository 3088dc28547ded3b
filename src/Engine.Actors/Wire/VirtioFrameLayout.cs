namespace Engine.Actors.Wire;

/// <summary>
/// What <see cref="VirtioNetHeader.Validate"/> established about a packet: the header's claims
/// that held up, and for a super-frame (<see cref="IsGso"/>) the real header lengths, recomputed
/// from the IP and TCP/UDP headers rather than taken from hdr_len. For a packet that is not a
/// super-frame, IP version and transport fields are 0: only the checksum bounds were checked.
/// </summary>
public readonly record struct VirtioFrameLayout(
    VirtioGsoType GsoType,
    int GsoSize,
    bool NeedsChecksum,
    int ChecksumStart,
    int ChecksumOffset,
    int PacketLength,
    int IpVersion,
    int TransportOffset,
    int TransportHeaderLength,
    IpProtocol Protocol)
{
    public bool IsGso => GsoType != VirtioGsoType.None;

    /// <summary>IP and TCP/UDP headers together: the bytes repeated in front of every segment.</summary>
    public int HeadersLength => TransportOffset + TransportHeaderLength;

    /// <summary>The bytes after the headers, cut into <see cref="GsoSize"/> pieces.</summary>
    public int PayloadLength => PacketLength - HeadersLength;

    /// <summary>How many packets segmentation makes (1 for a packet that is not a super-frame).</summary>
    public int SegmentCount => IsGso ? (PayloadLength + GsoSize - 1) / GsoSize : 1;

    /// <summary>
    /// The layout of the same packet cut to its first <paramref name="length"/> bytes (trailing
    /// bytes past its IP length dropped). False when what the layout points at no longer lies
    /// inside: a partial checksum's field, or a super-frame's payload, which its IP header measured.
    /// </summary>
    public bool TryTrim(int length, out VirtioFrameLayout trimmed)
    {
        trimmed = this;
        if (length >= PacketLength || this == default) return true;
        if (IsGso || (NeedsChecksum && ChecksumStart + ChecksumOffset + 2 > length)) return false;
        trimmed = this with { PacketLength = length };
        return true;
    }
}
