namespace Engine.Actors.Wire;

/// <summary>The flags byte of struct virtio_net_hdr (include/uapi/linux/virtio_net.h).</summary>
[Flags]
public enum VirtioNetFlags : byte
{
    None = 0,

    /// <summary>
    /// The checksum at csum_start + csum_offset holds only the pseudo-header sum; the sum over
    /// csum_start..end is still to be added.
    /// </summary>
    NeedsChecksum = 1,

    /// <summary>The sender already verified the checksums (informational on reads).</summary>
    DataValid = 2,
}
