using Engine.Actors.Routing;

namespace Engine.Actors.Router;

/// <summary>Asks the router for a <see cref="RouterView"/>.</summary>
public sealed class GetRouterView
{
    public static readonly GetRouterView Instance = new();
}

/// <summary>
/// What the router was told about its ports, for the control socket: what each port takes
/// unfinished (its offloads). Which links are down is the route book's (<see cref="RouteBookView"/>).
/// </summary>
public sealed record RouterView(IReadOnlyList<PortOffloads> Offloads)
{
    internal static RouterView Of(RouterState state)
    {
        var offloads = new PortOffloads[state.Routes.Ports.Length];
        for (var port = 0; port < offloads.Length; port++) offloads[port] = state.Offloads[port];
        return new RouterView(offloads);
    }
}
