namespace Engine.Actors.Topology;

/// <summary>What the kernel hands the engine: IP packets (tun, L3) or Ethernet frames (tap, L2).</summary>
public enum DeviceType
{
    Tun,
    Tap,
}
