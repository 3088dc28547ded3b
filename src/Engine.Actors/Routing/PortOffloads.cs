using Engine.Actors.Wire;

namespace Engine.Actors.Routing;

/// <summary>
/// What an egress port takes unfinished: partial checksums and super-frames of each kind. A
/// device opened with offloads takes what its kernel granted; every other port (a device with
/// offloads off, a peer link) takes finished packets only, so the router segments super-frames
/// and fills partial checksums for it.
/// </summary>
[Flags]
public enum PortOffloads
{
    None = 0,
    PartialChecksum = 1,
    TcpV4 = 2,
    TcpV6 = 4,
    Udp = 8,
}

public static class PortOffloadsExtensions
{
    /// <summary>True when a frame with <paramref name="layout"/> can go to the port as it is.</summary>
    public static bool Accepts(this PortOffloads offloads, in VirtioFrameLayout layout)
    {
        if (!layout.IsGso) return !layout.NeedsChecksum || (offloads & PortOffloads.PartialChecksum) != 0;
        var needed = layout.GsoType switch
        {
            VirtioGsoType.TcpV4 => PortOffloads.TcpV4,
            VirtioGsoType.TcpV6 => PortOffloads.TcpV6,
            VirtioGsoType.UdpL4 => PortOffloads.Udp,
            _ => (PortOffloads)(-1),
        };
        return (offloads & needed) == needed && (offloads & PortOffloads.PartialChecksum) != 0;
    }
}
