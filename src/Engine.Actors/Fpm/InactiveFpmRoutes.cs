using Engine.Actors.Routing;

namespace Engine.Actors.Fpm;

/// <summary>Asks the FPM server for zebra's routes it could not install (<see cref="InactiveFpmRoutes"/>).</summary>
public sealed class GetInactiveFpmRoutes
{
    public static readonly GetInactiveFpmRoutes Instance = new();
}

/// <summary>zebra's routes whose next hops resolve nowhere in the lab, each with why, for the route listing.</summary>
public sealed record InactiveFpmRoutes(IReadOnlyList<InactiveFpmRoute> Routes);

public readonly record struct InactiveFpmRoute(IpPrefix Prefix, string Reason);
