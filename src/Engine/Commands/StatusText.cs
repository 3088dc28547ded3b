using System.Globalization;
using System.Text.Json;

namespace Engine.Commands;

/// <summary>`engine status` for a person: one row per port, its drops and peer details below, then the router's totals.</summary>
internal static class StatusText
{
    public static void Write(JsonElement status, TextWriter output)
    {
        output.WriteLine($"lab: {(status.GetProperty("up").GetBoolean() ? "up" : "starting")}, node {status.GetProperty("node").GetString()}");
        output.WriteLine();
        var table = new TextTable("port", "kind", "state", "namespace", "mtu", "offloads", "rx pkts", "rx bytes", "tx pkts", "tx bytes", "drops");
        var details = new List<string>();
        foreach (var port in status.GetProperty("ports").EnumerateArray())
        {
            var name = port.GetProperty("name").GetString()!;
            var drops = port.GetProperty("drops").EnumerateObject().ToList();
            var offloads = port.GetProperty("offloads").EnumerateArray().Select(o => o.GetString()).ToList();
            table.Add(name, port.GetProperty("kind").GetString()!, port.GetProperty("state").GetString()!,
                port.TryGetProperty("namespace", out var space) ? space.GetString()! : "-",
                Number(port, "mtu"), offloads.Count == 0 ? "-" : string.Join(",", offloads),
                Number(port.GetProperty("rx"), "packets"), Number(port.GetProperty("rx"), "bytes"),
                Number(port.GetProperty("tx"), "packets"), Number(port.GetProperty("tx"), "bytes"),
                drops.Sum(d => d.Value.GetInt64()).ToString(CultureInfo.InvariantCulture));
            if (port.GetProperty("kind").GetString() == "peer")
                details.Add($"peer {name}: {port.GetProperty("state").GetString()}, {port.GetProperty("role").GetString()} over "
                    + $"{port.GetProperty("transport").GetString()} with {port.GetProperty("framing").GetString()} framing"
                    + (port.TryGetProperty("listen", out var listen) ? $", listening on {listen.GetString()}" : "")
                    + (port.TryGetProperty("remote", out var remote) ? $", remote {remote.GetString()}" : "")
                    + (port.TryGetProperty("last_heard_ms", out var heard) ? $", last heard {heard.GetInt64() / 1000.0:F1} s ago" : ""));
            if (drops.Count > 0)
                details.Add($"{name} drops: " + string.Join(" ", drops.Select(d => $"{d.Name}={d.Value.GetInt64()}")));
        }
        table.WriteTo(output);
        if (details.Count > 0) output.WriteLine();
        foreach (var line in details) output.WriteLine(line);
        var router = status.GetProperty("router");
        output.WriteLine();
        output.WriteLine($"router: forwarded {Number(router, "forwarded")}, icmp errors {Number(router, "icmp_errors_sent")} sent "
            + $"{Number(router, "icmp_errors_rate_limited")} rate-limited, echo replies {Number(router, "echo_replies")}, "
            + $"frame pool {Number(router, "pool_batches")} batches ({Number(router, "pool_bytes")} B)");
        if (status.TryGetProperty("reloads", out var reloads))
            output.WriteLine($"reloads: {Number(reloads, "applied")} applied, {Number(reloads, "failed")} refused or failed");
    }

    private static string Number(JsonElement element, string name) => element.GetProperty(name).GetInt64().ToString(CultureInfo.InvariantCulture);
}
