namespace Engine.Actors.Fpm;

/// <summary>The route types (rtm_type) the engine takes from FPM; the values are the kernel's.</summary>
public enum FpmRouteType : byte
{
    Unicast = 1,
    Blackhole = 6,
    Unreachable = 7,
    Prohibit = 8,
}
