using System.Diagnostics;
using System.Text.Json;

namespace Engine.IntegrationTests.Native;

/// <summary>
/// Runs iproute2's `ip` as an independent witness of what the engine's netlink code did
/// (and to build test fixtures such as veth pairs). The engine itself never shells out.
/// </summary>
internal static class IpTool
{
    public static string Run(params string[] arguments)
    {
        var (exitCode, output, error) = Execute(arguments);
        if (exitCode != 0)
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)} exited {exitCode}: {error}");
        return output;
    }

    /// <summary>`ip -j ARGS`, parsed; an empty answer is an empty array.</summary>
    public static JsonElement Json(params string[] arguments)
    {
        var output = Run(["-j", .. arguments]);
        using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(output) ? "[]" : output);
        return document.RootElement.Clone();
    }

    public static IReadOnlyList<string> NamespaceNames()
    {
        var names = new List<string>();
        foreach (var entry in Json("netns", "list").EnumerateArray())
            names.Add(entry.GetProperty("name").GetString()!);
        return names;
    }

    /// <summary>The one link object of `ip -j -n NS link show dev NAME`.</summary>
    public static JsonElement Link(string ns, string name) =>
        Json("-n", ns, "link", "show", "dev", name).EnumerateArray().Single();

    public static bool HasLink(string ns, string name) =>
        Json("-n", ns, "link", "show").EnumerateArray().Any(l => l.GetProperty("ifname").GetString() == name);

    public static bool HasFlag(JsonElement link, string flag) =>
        link.GetProperty("flags").EnumerateArray().Any(f => f.GetString() == flag);

    /// <summary>The addr_info entries of `ip -j -n NS address show dev NAME`.</summary>
    public static IReadOnlyList<JsonElement> Addresses(string ns, string name) =>
        [.. Json("-n", ns, "address", "show", "dev", name).EnumerateArray().Single()
            .GetProperty("addr_info").EnumerateArray()];

    /// <summary>`ip -j -n NS -4|-6 route show [SELECTOR...]` in the main table.</summary>
    public static IReadOnlyList<JsonElement> Routes(string ns, bool ipv6, params string[] selector) =>
        [.. Json(["-n", ns, ipv6 ? "-6" : "-4", "route", "show", .. selector]).EnumerateArray()];

    private static (int ExitCode, string Output, string Error) Execute(string[] arguments)
    {
        var start = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }
}
