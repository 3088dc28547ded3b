using System.Text.Json;
using Engine.Actors.Fpm;

namespace Engine.Tests.Fpm;

/// <summary>
/// The FRR 8.4.4 captures in Fixtures/ (copied from the shared fixtures with their README and
/// SHA256SUMS, so a fresh clone runs the tests): each .bin is one FPM connection from zebra.
/// </summary>
internal static class FpmFixtures
{
    /// <summary>The captures that come with decoded expectations (bulk-10k's content is a formula instead).</summary>
    public static readonly string[] Decoded =
    [
        "static-v4-v6", "ecmp", "static-ecmp-nhg", "oldfpm-static-ecmp", "ospf-learn-withdraw",
        "ospf-learn-withdraw-nhg", "reconnect-conn1", "reconnect-conn2",
    ];

    public static readonly string Folder = FindFolder();

    public static byte[] Stream(string name) => File.ReadAllBytes(Path.Combine(Folder, name + ".bin"));

    /// <summary>One JSON object per netlink message, in stream order.</summary>
    public static JsonElement[] Expected(string name) =>
    [
        .. File.ReadLines(Path.Combine(Folder, name + ".expected.jsonl"))
            .Where(line => line.Length > 0)
            .Select(line => JsonDocument.Parse(line).RootElement),
    ];

    /// <summary>The final FIB's header ("# FIB view: N routes, M nexthop objects") and its lines.</summary>
    public static (string Header, string[] Lines) FinalFib(string name)
    {
        var lines = File.ReadAllLines(Path.Combine(Folder, name + ".final-fib.txt"));
        return (lines[0], [.. lines.Skip(1).Where(line => line.Length > 0)]);
    }

    /// <summary>The stream offsets at which each step began.</summary>
    public static int[] StepOffsets(string steps) =>
    [
        .. File.ReadLines(Path.Combine(Folder, steps + ".steps.txt"))
            .Where(line => line.Length > 0 && char.IsAsciiDigit(line[0]))
            .Select(line => int.Parse(line.AsSpan(0, line.IndexOf(' ')))),
    ];

    /// <summary>Decodes a whole stream in one piece; the stream must be clean.</summary>
    public static List<FpmUpdate> Decode(ReadOnlySpan<byte> stream, out FpmStreamDecoder decoder)
    {
        decoder = new FpmStreamDecoder();
        var updates = new List<FpmUpdate>();
        if (!decoder.Feed(stream, updates))
            throw new InvalidOperationException($"the stream closed the connection: {decoder.CloseReason}");
        return updates;
    }

    public static List<FpmUpdate> Decode(ReadOnlySpan<byte> stream) => Decode(stream, out _);

    private static string FindFolder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var folder = Path.Combine(directory.FullName, "tests", "Engine.Tests", "Fpm", "Fixtures");
            if (Directory.Exists(folder))
                return folder;
        }
        throw new DirectoryNotFoundException("tests/Engine.Tests/Fpm/Fixtures not found above " + AppContext.BaseDirectory);
    }
}
