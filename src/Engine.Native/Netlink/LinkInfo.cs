namespace Engine.Native.Netlink;

/// <summary>A link as the kernel reported it at the time of the request.</summary>
public readonly record struct LinkInfo(int Index, string Name, int Mtu, LinkFlags Flags)
{
    /// <summary>Administratively up (IFF_UP); carrier is <see cref="LinkFlags.LowerUp"/>.</summary>
    public bool IsUp => (Flags & LinkFlags.Up) != 0;
}
