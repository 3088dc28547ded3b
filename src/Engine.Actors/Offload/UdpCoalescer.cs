namespace Engine.Actors.Offload;

/// <summary>
/// GRO for UDP: runs of same-flow datagrams of one size (see <see cref="UdpMergeCandidate"/>
/// for the rules) become one super-frame with a UDP_L4 virtio header, as a UDP_SEGMENT socket
/// would have sent them. A datagram shorter than the first ends its run; the kernel cuts it
/// off again as the last.
/// </summary>
internal sealed class UdpCoalescer(int maxPacketLength = RunCoalescer<UdpMergeCandidate>.MaxIpLength)
    : RunCoalescer<UdpMergeCandidate>(maxPacketLength, IpVersions.Both)
{
    /// <summary>The most datagrams one super-frame may carry: the kernel's UDP_MAX_SEGMENTS.</summary>
    public const int MaxSegments = 64;
}
