namespace Engine.Actors.Fpm;

/// <summary>
/// One path of a route: a gateway (none for a route straight out of an interface), zebra's
/// interface index, and a weight (1 for a single path; rtnh_hops + 1 or the group weight + 1).
/// </summary>
public readonly record struct FpmNextHop(FpmAddress? Gateway, int IfIndex, int Weight = 1)
{
    public override string ToString() =>
        (Gateway is { } gateway ? $"{gateway} " : "") + $"dev#{IfIndex}" + (Weight != 1 ? $" w{Weight}" : "");
}
