using Xunit;

namespace Engine.IntegrationTests.Infrastructure;

/// <summary>One frame as tshark decodes it from a capture: the interface, direction (epb_flags), addresses, ICMP type and packet comment.</summary>
public sealed record TsharkFrame(string Interface, string Direction, string Source, string Destination, string IcmpType, string Comment);

/// <summary>`engine capture PORT -c COUNT -w - | tshark -r -`, live, read back field by field.</summary>
public static class Tshark
{
    private static readonly string[] Fields =
        ["frame.interface_name", "frame.packet_flags_direction", "ip.src", "ip.dst", "icmp.type", "frame.comment"];

    /// <summary>
    /// Captures <paramref name="count"/> frames of <paramref name="port"/> while <paramref name="traffic"/>
    /// runs (again, until the capture has its frames) and returns those tshark shows through
    /// <paramref name="filter"/> (a display filter; all when empty). Fails the test when the capture
    /// or tshark does.
    /// </summary>
    public static IReadOnlyList<TsharkFrame> Capture(EngineProcess engine, string port, int count, string filter, Action traffic)
    {
        var display = filter.Length == 0 ? "" : $"-Y '{filter}' ";
        var fields = string.Concat(Fields.Select(field => $"-e {field} "));
        using var pipe = new Background("bash", $"-o pipefail -c \"dotnet '{EngineProcess.EngineDll}' capture {port} -c {count} -w - --config '{engine.ConfigPath}' | tshark -r - {display}-T fields {fields}\"");
        engine.WaitForLog($"capture of {port} started", TimeSpan.FromSeconds(10));
        for (var round = 0; round < 10 && !pipe.HasExited; round++) traffic();
        Assert.True(pipe.WaitForExit(TimeSpan.FromSeconds(20)), $"the capture did not end after {count} frames:\n{pipe.Output}");
        Assert.True(pipe.ExitCode == 0, $"capture | tshark failed ({pipe.ExitCode}):\n{pipe.Output}");
        // tshark reads past a block it cannot make sense of with only a warning ("tshark: ... appears to be damaged").
        Assert.DoesNotContain("tshark:", pipe.Output);
        return [.. pipe.Output.Split('\n').Select(line => line.Split('\t')).Where(cells => cells.Length == Fields.Length)
            .Select(cells => new TsharkFrame(cells[0], cells[1], cells[2], cells[3], cells[4], cells[5]))];
    }
}
