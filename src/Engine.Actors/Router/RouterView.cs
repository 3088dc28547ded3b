using Engine.Actors.Routing;

namespace Engine.Actors.Router;

/// <summary>Asks the router for a <see cref="RouterView"/>.</summary>
public sealed class GetRouterView
{
    public static readonly GetRouterView Instance = new();
}

/// <summary>
/// What the router was told about its ports, for the control socket: the peer ports whose link is
/// down (their routes' backups are in use) and what each port takes unfinished (its offloads).
/// </summary>
public sealed record RouterView(IReadOnlySet<int> DownPorts, IReadOnlyList<PortOffloads> Offloads)
{
    internal static RouterView Of(RouterState state)
    {
        var offloads = new PortOffloads[state.Routes.Ports.Length];
        for (var port = 0; port < offloads.Length; port++) offloads[port] = state.Offloads[port];
        return new RouterView(new HashSet<int>(state.DownPorts), offloads);
    }
}
