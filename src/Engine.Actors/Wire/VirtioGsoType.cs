namespace Engine.Actors.Wire;

/// <summary>
/// The gso_type byte of struct virtio_net_hdr without its ECN bit
/// (<see cref="VirtioNetHeader.EcnBit"/>): how a super-frame is to be cut.
/// </summary>
public enum VirtioGsoType : byte
{
    /// <summary>A single packet, not to be segmented.</summary>
    None = 0,
    TcpV4 = 1,

    /// <summary>UDP fragmentation offload (UFO): IP fragments, not datagrams. Refused here.</summary>
    Udp = 3,
    TcpV6 = 4,

    /// <summary>UDP segmentation offload (USO): one datagram per gso_size bytes, either family.</summary>
    UdpL4 = 5,
}
