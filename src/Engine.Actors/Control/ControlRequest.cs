using System.Text.Json;

namespace Engine.Actors.Control;

/// <summary>The control protocol's commands (docs/control.md).</summary>
public enum ControlCommand
{
    Status,
    Routes,
    Stop,
    Capture,
    RouteAdd,
    RouteDel,
    Reload,
}

/// <summary>
/// One request line: a JSON object with a "command" string. Parsing never throws: a line that
/// is not such an object, or names no known command, is an <see cref="Error"/> to answer.
/// </summary>
/// <param name="Port">For capture: the port to capture.</param>
/// <param name="Count">For capture: how many frames, then the capture ends; null for no end.</param>
public sealed record ControlRequest(ControlCommand Command, string? Port = null, long? Count = null)
{
    public static readonly (string Name, ControlCommand Value)[] Commands =
        [("status", ControlCommand.Status), ("routes", ControlCommand.Routes), ("stop", ControlCommand.Stop), ("capture", ControlCommand.Capture),
         ("route-add", ControlCommand.RouteAdd), ("route-del", ControlCommand.RouteDel), ("reload", ControlCommand.Reload)];

    /// <summary>For route-add and route-del: the prefix as written.</summary>
    public string? Prefix { get; init; }

    /// <summary>For route-add: each via as written, a port or a next-hop address (two or more: multipath).</summary>
    public IReadOnlyList<string> Vias { get; init; } = [];

    /// <summary>For route-add: the backup port or next-hop address, if any.</summary>
    public string? Backup { get; init; }

    /// <summary>The request on <paramref name="line"/> (UTF-8, without its newline), or null with the reason in <paramref name="error"/>.</summary>
    public static ControlRequest? Parse(ReadOnlySpan<byte> line, out string error)
    {
        error = "";
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 8 });
            using var document = JsonDocument.ParseValue(ref reader);
            if (line[(int)reader.BytesConsumed..].Trim(" \t\r"u8).Length > 0)
            {
                error = "not JSON: text after the request's object";
                return null;
            }
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = "a request must be a JSON object, like {\"command\":\"status\"}";
                return null;
            }
            if (!document.RootElement.TryGetProperty("command", out var command) || command.ValueKind != JsonValueKind.String)
            {
                error = "a request needs a \"command\" string";
                return null;
            }
            var name = command.GetString();
            foreach (var (known, value) in Commands)
                if (known == name)
                    return value switch
                    {
                        ControlCommand.Capture => ParseCapture(document.RootElement, out error),
                        ControlCommand.RouteAdd or ControlCommand.RouteDel => ParseRoute(value, document.RootElement, out error),
                        _ => new ControlRequest(value),
                    };
            error = $"unknown command \"{name}\"; known: {string.Join(", ", Commands.Select(c => c.Name))}";
            return null;
        }
        catch (JsonException e)
        {
            error = "not JSON: " + e.Message;
            return null;
        }
    }

    /// <summary>{"command":"capture","port":"tun-a","count":10}: a port name, and a count of at least 1 if any.</summary>
    private static ControlRequest? ParseCapture(JsonElement request, out string error)
    {
        error = "";
        if (!request.TryGetProperty("port", out var port) || port.ValueKind != JsonValueKind.String || port.GetString() is not { Length: > 0 } name)
        {
            error = "capture needs a \"port\" to capture";
            return null;
        }
        if (!request.TryGetProperty("count", out var count) || count.ValueKind == JsonValueKind.Null)
            return new ControlRequest(ControlCommand.Capture, name);
        if (count.ValueKind != JsonValueKind.Number || !count.TryGetInt64(out var frames) || frames < 1)
        {
            error = "capture's \"count\" must be a whole number of at least 1";
            return null;
        }
        return new ControlRequest(ControlCommand.Capture, name, frames);
    }

    /// <summary>{"command":"route-add","prefix":"10.9.0.0/24","via":["10.0.2.1"],"backup":"east"}, or route-del with a prefix alone.</summary>
    private static ControlRequest? ParseRoute(ControlCommand command, JsonElement request, out string error)
    {
        error = "";
        if (!request.TryGetProperty("prefix", out var prefix) || prefix.ValueKind != JsonValueKind.String || prefix.GetString() is not { Length: > 0 } written)
        {
            error = "a route request needs a \"prefix\" string";
            return null;
        }
        if (command == ControlCommand.RouteDel)
            return new ControlRequest(command) { Prefix = written };
        var vias = new List<string>();
        if (request.TryGetProperty("via", out var via))
        {
            if (via.ValueKind == JsonValueKind.String)
                vias.Add(via.GetString()!);
            else if (via.ValueKind == JsonValueKind.Array)
                foreach (var item in via.EnumerateArray())
                    if (item.ValueKind == JsonValueKind.String) vias.Add(item.GetString()!);
        }
        if (vias.Count == 0 || vias.Any(v => v.Length == 0))
        {
            error = "route-add needs a \"via\": a port or a next-hop address, or a list of them";
            return null;
        }
        string? backup = null;
        if (request.TryGetProperty("backup", out var backupValue) && backupValue.ValueKind != JsonValueKind.Null)
        {
            if (backupValue.ValueKind != JsonValueKind.String || backupValue.GetString() is not { Length: > 0 } text)
            {
                error = "route-add's \"backup\" must be a port or a next-hop address";
                return null;
            }
            backup = text;
        }
        return new ControlRequest(command) { Prefix = written, Vias = vias, Backup = backup };
    }
}
