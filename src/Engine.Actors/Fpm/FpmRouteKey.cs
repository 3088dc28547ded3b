using Engine.Actors.Routing;

namespace Engine.Actors.Fpm;

/// <summary>What identifies a route in zebra's FIB: its table and prefix. zebra sends one route per key.</summary>
public readonly record struct FpmRouteKey(uint Table, IpPrefix Prefix)
{
    /// <summary>RT_TABLE_MAIN, where routes go unless zebra's VRF or `table N` says otherwise.</summary>
    public const uint MainTable = 254;

    public override string ToString() => Table == MainTable ? Prefix.ToString() : $"{Prefix} table {Table}";
}
