using System.Text.Json;
using Xunit;

namespace Engine.IntegrationTests.Infrastructure;

/// <summary>One next hop of a route in the engine's table: the port and, for a next-hop route, the neighbour's address.</summary>
public sealed record EngineHop(string Port, string? Address);

/// <summary>
/// A route as <c>engine routes --json</c> lists it (docs/control.md): its source, whether it is
/// installed, and its next hops (a multipath route's paths, else its <c>via</c>; none for a route
/// that refuses its packets).
/// </summary>
public sealed record EngineRoute(string Prefix, string Source, bool Active, IReadOnlySet<EngineHop> Hops);

/// <summary>The live table of a running engine, read the way a script would: through the CLI and the control socket.</summary>
public static class EngineRoutes
{
    public static IReadOnlyList<EngineRoute> Read(EngineProcess engine)
    {
        var answer = EngineCli.Run($"routes --json --config \"{engine.ConfigPath}\"");
        Assert.True(answer.ExitCode == 0, $"engine routes failed:\n{answer.All}");
        using var json = JsonDocument.Parse(answer.Output);
        return [.. json.RootElement.GetProperty("routes").EnumerateArray().Select(Route)];
    }

    /// <summary>The routes of <paramref name="source"/> (connected, static, runtime, fpm), by prefix.</summary>
    public static Dictionary<string, EngineRoute> FromSource(EngineProcess engine, string source) =>
        Read(engine).Where(route => route.Source == source).ToDictionary(route => route.Prefix);

    private static EngineRoute Route(JsonElement route)
    {
        var hops = new HashSet<EngineHop>();
        if (route.TryGetProperty("paths", out var paths))
            foreach (var path in paths.EnumerateArray()) hops.Add(Hop(path));
        else if (route.TryGetProperty("via", out var via) && via.ValueKind == JsonValueKind.Object)
            hops.Add(Hop(via));
        return new EngineRoute(route.GetProperty("prefix").GetString()!, route.GetProperty("source").GetString()!, route.GetProperty("active").GetBoolean(), hops);
    }

    private static EngineHop Hop(JsonElement hop) =>
        new(hop.GetProperty("port").GetString()!, hop.TryGetProperty("address", out var address) ? address.GetString() : null);
}
