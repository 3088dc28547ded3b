namespace Engine.Actors.Offload;

/// <summary>
/// The IP versions a coalescer may merge: those whose super-frames the device takes (a device
/// may be granted TSO4 without TSO6, or the reverse).
/// </summary>
[Flags]
internal enum IpVersions : byte
{
    None = 0,
    Ipv4 = 1,
    Ipv6 = 2,
    Both = Ipv4 | Ipv6,
}
