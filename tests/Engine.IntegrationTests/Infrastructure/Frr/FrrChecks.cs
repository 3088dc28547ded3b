using System.Diagnostics;
using System.Text.Json.Nodes;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Infrastructure.Frr;

/// <summary>What the routing tests ask of FRR and of the kernel, polled until true within a generous deadline.</summary>
public static class FrrChecks
{
    public static readonly TimeSpan Converged = TimeSpan.FromSeconds(90);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails naming <paramref name="what"/> after <see cref="Converged"/>.</summary>
    public static void Eventually(ITestOutputHelper output, string what, Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < Converged, $"no {what} within {Converged}");
            Thread.Sleep(500);
        }
        output.WriteLine($"{what} after {clock.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>
    /// Some adjacency in a vtysh json answer is in a state starting with <paramref name="state"/>:
    /// OSPFv2 says "Full/-", OSPFv3 "Full", IS-IS "Up".
    /// </summary>
    public static bool HasNeighborIn(FrrHost host, string command, string state) =>
        host.Json(command) is { } answer && States(answer).Any(value => value.StartsWith(state, StringComparison.Ordinal));

    /// <summary>A protocol's routes in zebra's table (<c>show ip route PROTOCOL json</c>) include <paramref name="prefix"/>.</summary>
    public static bool HasRoute(FrrHost host, string command, string prefix) => host.Json(command) is JsonObject routes && routes.ContainsKey(prefix);

    /// <summary>The kernel of namespace <paramref name="ns"/> routes <paramref name="destination"/> out of <paramref name="device"/>.</summary>
    public static bool KernelRoutes(string ns, string destination, string device)
    {
        var family = destination.Contains(':') ? "-6" : "-4";
        var routes = Shell.InNamespace(ns, $"ip {family} -j route show {destination}").Output;
        return JsonNode.Parse(routes) is JsonArray { Count: > 0 } list
            && list.Any(route => route?["dev"]?.GetValue<string>() == device);
    }

    /// <summary>The session with <paramref name="peer"/> in <c>show bgp summary json</c> is Established.</summary>
    public static bool BgpEstablished(FrrHost host, string peer) =>
        host.Json("show bgp summary json")?["ipv4Unicast"]?["peers"]?[peer]?["state"] is JsonValue state
        && state.TryGetValue<string>(out var text) && text == "Established";

    /// <summary>How many neighbours in an OSPFv2 or OSPFv3 neighbour listing are FULL (each entry once, whether it says "state" or "nbrState" or both).</summary>
    public static int FullNeighbors(JsonNode? answer) => answer switch
    {
        JsonObject entry when (entry["state"] ?? entry["nbrState"]) is JsonValue state =>
            state.TryGetValue<string>(out var text) && text.StartsWith("Full", StringComparison.Ordinal) ? 1 : 0,
        JsonObject obj => obj.Sum(member => FullNeighbors(member.Value)),
        JsonArray array => array.Sum(FullNeighbors),
        _ => 0,
    };

    public static void AssertPing(ITestOutputHelper output, string ns, string destination, string? source = null) =>
        Pings.AssertAnswered(output, ns, destination, source is null ? "" : $"-I {source}");

    private static IEnumerable<string> States(JsonNode node) => node switch
    {
        JsonObject obj => obj.SelectMany(member => member.Value switch
        {
            null => [],
            JsonValue value when member.Key is "state" or "nbrState" && value.TryGetValue<string>(out var text) => [text],
            var inner => States(inner),
        }),
        JsonArray array => array.SelectMany(item => item is null ? [] : States(item)),
        _ => [],
    };
}
