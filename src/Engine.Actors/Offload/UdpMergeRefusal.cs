namespace Engine.Actors.Offload;

/// <summary>Why a UDP datagram does not join (or cannot start) a coalesced super-frame.</summary>
internal enum UdpMergeRefusal : byte
{
    None,

    /// <summary>Other addresses, ports or IP version, or not UDP at all.</summary>
    DifferentFlow,
    IpOptions,
    Fragment,

    /// <summary>The UDP length field disagrees with the IP length.</summary>
    Length,
    NoPayload,

    /// <summary>A zero checksum: the sender computed none, so there is nothing to verify.</summary>
    NoChecksum,
    BadChecksum,
    TypeOfService,
    FlowLabel,
    TtlOrHopLimit,
    DontFragment,

    /// <summary>IPv4 without DF whose ID does not follow the previous datagram's.</summary>
    Identification,

    /// <summary>More payload than the first datagram's, which sets gso_size.</summary>
    SegmentSize,

    /// <summary>The merged packet would pass the IP length limit or the destination's size.</summary>
    TooLarge,

    /// <summary>The run already holds <see cref="UdpCoalescer.MaxSegments"/> datagrams.</summary>
    TooManySegments,
}
