namespace Engine.Native.Tun;

/// <summary>tun carries IP packets (L3); tap carries Ethernet frames (L2).</summary>
public enum TunMode
{
    Tun,
    Tap,
}
