namespace Engine.Actors.Offload;

/// <summary>
/// GRO for TCP: runs of same-flow segments (see <see cref="TcpMergeCandidate"/> for the rules)
/// become one super-frame with a TCPV4/TCPV6 virtio header. PSH on a segment ends its run.
/// </summary>
internal sealed class TcpCoalescer(int maxPacketLength = RunCoalescer<TcpMergeCandidate>.MaxIpLength, IpVersions versions = IpVersions.Both)
    : RunCoalescer<TcpMergeCandidate>(maxPacketLength, versions);
