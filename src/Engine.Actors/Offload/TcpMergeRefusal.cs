namespace Engine.Actors.Offload;

/// <summary>Why a TCP segment does not join (or cannot start) a coalesced super-frame.</summary>
internal enum TcpMergeRefusal : byte
{
    None,

    /// <summary>Other addresses, ports or IP version, or not TCP at all.</summary>
    DifferentFlow,
    IpOptions,
    Fragment,

    /// <summary>Anything but ACK or ACK+PSH: SYN, FIN, RST, URG, ECE, CWR, or no ACK.</summary>
    Flags,
    NoPayload,
    BadChecksum,
    TypeOfService,
    FlowLabel,
    TtlOrHopLimit,
    DontFragment,

    /// <summary>IPv4 without DF whose ID does not follow the previous segment's.</summary>
    Identification,

    /// <summary>TCP header length, options or reserved bits differ.</summary>
    TcpOptions,
    Acknowledgment,
    Window,

    /// <summary>The segment does not start where the previous one ended.</summary>
    Sequence,

    /// <summary>More payload than the first segment's, which sets gso_size.</summary>
    SegmentSize,

    /// <summary>The merged packet would pass the IP length limit or the destination's size.</summary>
    TooLarge,

    /// <summary>The first segment has PSH: the super-frame ends with it.</summary>
    Pushed,
}
