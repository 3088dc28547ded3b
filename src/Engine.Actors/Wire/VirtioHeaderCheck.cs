namespace Engine.Actors.Wire;

/// <summary>What <see cref="VirtioNetHeader.Validate"/> thinks of a header and the packet behind it.</summary>
public enum VirtioHeaderCheck : byte
{
    Valid,

    /// <summary>A flag bit this engine does not know.</summary>
    UnknownFlags,

    /// <summary>A gso_type this engine does not know.</summary>
    UnknownGsoType,

    /// <summary>UFO (gso_type 3): would need IP fragmentation, which the engine does not do.</summary>
    UdpFragmentationOffload,

    /// <summary>The ECN bit on anything but TCP segmentation, where it has no meaning.</summary>
    EcnWithoutTcp,

    /// <summary>A segmentation type with gso_size 0.</summary>
    ZeroGsoSize,

    /// <summary>gso_size larger than the payload it says to cut.</summary>
    GsoSizeLargerThanPayload,

    /// <summary>A TCP gso_size below any MSS the kernel sends with (tcp_min_snd_mss is at least 48).</summary>
    GsoSizeBelowMinimum,

    /// <summary>A UDP super-frame of more segments than the kernel builds one of (UDP_MAX_SEGMENTS, 128).</summary>
    TooManySegments,

    /// <summary>csum_start + csum_offset leaves no room for the 2-byte checksum inside the packet.</summary>
    ChecksumOutsidePacket,

    /// <summary>A super-frame whose csum_start/csum_offset do not point at its TCP/UDP checksum.</summary>
    ChecksumFieldMismatch,

    /// <summary>The IP, TCP or UDP headers of a super-frame do not parse.</summary>
    MalformedPacket,

    /// <summary>The packet is not what gso_type says (TCPV4 on IPv6, TCP segmentation of UDP, ...).</summary>
    ProtocolMismatch,

    /// <summary>An IPv4 fragment presented as a super-frame.</summary>
    Fragment,

    /// <summary>An IPv6 super-frame with extension headers before TCP/UDP.</summary>
    ExtensionHeaders,
}
