using Engine.Actors.Routing;

namespace Engine.Actors.Metrics;

/// <summary>How many routes each source holds in the route book, as of its last snapshot; written by the book, read by scrapers.</summary>
public sealed class RouteCounts
{
    private readonly int[] _bySource = new int[Enum.GetValues<RouteSource>().Length];

    public int Of(RouteSource source) => Volatile.Read(ref _bySource[(int)source]);

    internal void Set(RouteSource source, int count) => Volatile.Write(ref _bySource[(int)source], count);
}
