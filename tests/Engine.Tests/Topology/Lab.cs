using Engine.Actors.Topology;
using Xunit;

namespace Engine.Tests.Topology;

/// <summary>Builds lab texts around a fragment and parses them, failing with the errors in view.</summary>
internal static class Lab
{
    public static string WithDevices(string devices, string routes = "", string settings = "") => $$"""
        engine {
          {{settings}}
          devices = [
            {{devices}}
          ]
          routes = [
            {{routes}}
          ]
        }
        """;

    /// <summary>Two plain devices, for route and settings cases.</summary>
    public static string WithRoutes(string routes, string settings = "") => WithDevices(
        """
        { name = tun-a, type = tun, namespace = host-a, address = "10.0.1.1/24" }
            { name = tun-b, type = tun, namespace = host-b, address = "10.0.2.1/24" }
        """,
        routes,
        settings);

    /// <summary>One device (tun-a) and the given peers, for peer and route-to-peer cases.</summary>
    public static string WithPeers(string peers, string routes = "") => $$"""
        engine {
          devices = [ { name = tun-a, type = tun, namespace = host-a, address = "10.0.1.1/24" } ]
          peers = [
            {{peers}}
          ]
          routes = [
            {{routes}}
          ]
        }
        """;

    public static string[] Errors(string text, string sourceName = TopologyParser.DefaultSourceName)
    {
        var result = ParseWithin(text, sourceName);
        Assert.False(result.IsValid, "expected errors, but the lab is valid:\n" + result.Topology?.Describe());
        Assert.Null(result.Topology);
        return [.. result.ErrorLines];
    }

    public static LabTopology Valid(string text)
    {
        var result = ParseWithin(text, TopologyParser.DefaultSourceName);
        Assert.True(result.IsValid, "expected a valid lab, got:\n" + string.Join("\n", result.ErrorLines));
        Assert.Empty(result.Errors);
        return result.Topology;
    }

    /// <summary>Akka's parser has looped forever on malformed text; a regression must fail the
    /// test run, not hang it.</summary>
    public static TopologyResult ParseWithin(string text, string sourceName)
    {
        var parse = Task.Run(() => TopologyParser.Parse(text, sourceName));
        Assert.True(parse.Wait(TimeSpan.FromSeconds(20)), "TopologyParser.Parse did not return");
        return parse.Result;
    }

    /// <summary>Expected lines are written one string per case, separated by new lines.</summary>
    public static string[] Lines(string expected) => expected.Split('\n');
}
