using System.Collections.Immutable;

namespace Engine.Actors.Fpm;

/// <summary>
/// Replaces a route's next-hop id by the paths it names, as the kernel does: a single object is one
/// path of weight 1, a group is its members with the group's weights, and a blackhole object makes
/// the route a blackhole. A member that is missing, a group, or a blackhole is left out (the kernel
/// accepts none of these in a group).
/// </summary>
internal static class FpmNextHopResolver
{
    public static FpmFibEntry Resolve(FpmRouteKey key, FpmRouteAttributes route, Func<uint, FpmNextHopObject?> find)
    {
        if (route.NextHopId is not { } id)
            return new FpmFibEntry(key, route.Type, route.NextHops);
        if (find(id) is not { } nextHop)
            return new FpmFibEntry(key, route.Type, []);
        if (nextHop.Blackhole)
            return new FpmFibEntry(key, FpmRouteType.Blackhole, []);
        if (!nextHop.IsGroup)
            return new FpmFibEntry(key, route.Type, [Path(nextHop, weight: 1)]);

        var members = ImmutableArray.CreateBuilder<FpmNextHop>(nextHop.Group.Length);
        foreach (var member in nextHop.Group)
        {
            if (find(member.Id) is { IsGroup: false, Blackhole: false } path)
                members.Add(Path(path, member.Weight));
        }
        return new FpmFibEntry(key, route.Type, members.DrainToImmutable());
    }

    private static FpmNextHop Path(FpmNextHopObject nextHop, int weight) => new(nextHop.Gateway, nextHop.IfIndex, weight);
}
