using Engine.Actors.Fpm;

namespace Engine.Tests.Fpm;

/// <summary>
/// Writes a table the way the fixtures' final-fib.txt does (one line per route as announced, then
/// one per next-hop object), and resolved FIB entries with their paths in a fixed order.
/// </summary>
internal static class FpmFibText
{
    public static string Header(FpmRouteTable table) =>
        $"# FIB view: {table.RouteCount} routes, {table.NextHopCount} nexthop objects";

    public static string[] Lines(FpmRouteTable table) =>
        [.. table.Routes.Select(Route), .. table.NextHops.Select(NextHop)];

    public static string Route(FpmRoute route) =>
        $"RTM_NEWROUTE {route.Key.Prefix} proto={Protocol(route.Protocol)} type={route.Type.ToString().ToUpperInvariant()} " +
        $"table={route.Key.Table}{(route.NextHopId is { } id ? $" nh_id={id}" : "")} metric={route.Metric} " +
        $"nh=[{string.Join("; ", route.NextHops)}]";

    public static string NextHop(FpmNextHopObject nextHop)
    {
        var family = nextHop.Family switch { 2 => "AF_INET", 10 => "AF_INET6", _ => "AF_UNSPEC" };
        var path = nextHop.IsGroup
            ? "group " + string.Join(",", nextHop.Group.Select(m => $"{m.Id}w{m.Weight}"))
            : nextHop.Blackhole ? "blackhole"
            : (nextHop.Gateway is { } gateway ? $"via {gateway} " : "") + $"dev#{nextHop.IfIndex}";
        return $"RTM_NEWNEXTHOP id={nextHop.Id} family={family} proto={Protocol(nextHop.Protocol)} {path}";
    }

    /// <summary>A resolved route with its paths sorted: ECMP paths have no order (zebra sorts them, a group keeps its own).</summary>
    public static string Resolved(FpmFibEntry entry) =>
        $"{entry.Key} {entry.Type} [{string.Join("; ", entry.NextHops.Select(h => h.ToString()).Order(StringComparer.Ordinal))}]";

    private static string Protocol(byte protocol) => protocol switch
    {
        0 => "unspec",
        2 => "kernel",
        11 => "zebra",
        186 => "bgp",
        188 => "ospf",
        196 => "zstatic",
        _ => protocol.ToString(),
    };
}
