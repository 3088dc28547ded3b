using System.Text.Json;

namespace Engine.Commands;

/// <summary>`engine routes` for a person: one row per route, as `ip route` would list it with its source and state.</summary>
internal static class RoutesText
{
    public static void Write(JsonElement answer, TextWriter output)
    {
        var table = new TextTable("prefix", "via", "backup", "source", "state");
        foreach (var route in answer.GetProperty("routes").EnumerateArray())
        {
            var state = !route.GetProperty("active").GetBoolean() ? "inactive: " + route.GetProperty("inactive").GetString()
                : route.GetProperty("backup_in_use").GetBoolean() ? "active, backup in use" : "active";
            table.Add(route.GetProperty("prefix").GetString()!, Hop(route, "via"), Hop(route, "backup"), route.GetProperty("source").GetString()!, state);
        }
        table.WriteTo(output);
    }

    private static string Hop(JsonElement route, string name)
    {
        if (name == "via" && route.TryGetProperty("paths", out var paths))
            return string.Join(", ", paths.EnumerateArray().Select(HopText));
        if (name == "via" && route.TryGetProperty("refuses", out var refuses)) return refuses.GetString()!;
        if (!route.TryGetProperty(name, out var hop)) return "-";
        return hop.ValueKind == JsonValueKind.String ? hop.GetString()! : HopText(hop);
    }

    private static string HopText(JsonElement hop) =>
        hop.TryGetProperty("address", out var address)
            ? $"{address.GetString()} on {hop.GetProperty("port").GetString()}"
            : hop.GetProperty("port").GetString()!;
}
