using Engine.Native.Interop;

namespace Engine.Native.Tun;

/// <summary>
/// What a tun/tap device with a virtio-net header may hand over unfinished (TUNSETOFFLOAD,
/// TUN_F_* in linux/if_tun.h): partial checksums and super-frames to be segmented by whoever
/// reads them, and, written back, accepted from us the same way.
/// </summary>
[Flags]
public enum TunOffloads : uint
{
    None = 0,

    /// <summary>Partial checksums (NEEDS_CSUM). Every other offload needs it.</summary>
    Checksum = Libc.TUN_F_CSUM,
    Tso4 = Libc.TUN_F_TSO4,
    Tso6 = Libc.TUN_F_TSO6,

    /// <summary>TCP super-frames with CWR (the ECN bit on gso_type). Needs Tso4 or Tso6.</summary>
    TsoEcn = Libc.TUN_F_TSO_ECN,

    /// <summary>
    /// UDP fragmentation offload. Kernels since 4.14 accept the bit without enabling anything,
    /// so it is never requested and never reported as granted.
    /// </summary>
    Ufo = Libc.TUN_F_UFO,

    /// <summary>UDP segmentation offload (Linux 6.2+). The kernel grants Uso4 and Uso6 only together.</summary>
    Uso4 = Libc.TUN_F_USO4,
    Uso6 = Libc.TUN_F_USO6,
}
