using System.Text.Json;

namespace Engine.Actors.Control;

/// <summary>The control protocol's commands (docs/control.md).</summary>
public enum ControlCommand
{
    Status,
    Routes,
    Stop,
}

/// <summary>
/// One request line: a JSON object with a "command" string. Parsing never throws: a line that
/// is not such an object, or names no known command, is an <see cref="Error"/> to answer.
/// </summary>
public sealed record ControlRequest(ControlCommand Command)
{
    public static readonly (string Name, ControlCommand Value)[] Commands =
        [("status", ControlCommand.Status), ("routes", ControlCommand.Routes), ("stop", ControlCommand.Stop)];

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
                    return new ControlRequest(value);
            error = $"unknown command \"{name}\"; known: {string.Join(", ", Commands.Select(c => c.Name))}";
            return null;
        }
        catch (JsonException e)
        {
            error = "not JSON: " + e.Message;
            return null;
        }
    }
}
