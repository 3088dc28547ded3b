using Engine.Actors.Routing;

namespace Engine.Actors.Router;

/// <summary>Asks the route book for a <see cref="RouteBookView"/>.</summary>
public sealed class GetRouteBookView
{
    public static readonly GetRouteBookView Instance = new();
}

/// <summary>
/// The route book as the control socket shows it: every source's routes, nearest source first,
/// each with whether it is the one in the table for its prefix, and the peer ports whose link is
/// down (a route over one uses its backup, or leaves that path out).
/// </summary>
public sealed record RouteBookView(IReadOnlyList<BookRoute> Routes, IReadOnlySet<int> DownPorts);

/// <summary>A source's route; <paramref name="Installed"/> when no nearer source holds its prefix.</summary>
public readonly record struct BookRoute(TableRoute Route, bool Installed);
