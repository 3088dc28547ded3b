namespace Engine.Actors.Routing;

/// <summary>One path of an equal-cost multipath route: a next hop and its share of the flows, relative to the others'.</summary>
public readonly record struct EcmpPath(NextHop Hop, int Weight = 1)
{
    /// <summary>zebra's weights are 1..255; a larger one is taken as this, so one path cannot starve the group's table.</summary>
    public const int MaxWeight = 255;
}
