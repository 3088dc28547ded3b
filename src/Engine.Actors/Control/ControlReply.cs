using System.Buffers;
using System.Text.Json;

namespace Engine.Actors.Control;

/// <summary>How a request failed, as the client is told ("kind"): the CLI's exit code follows from it.</summary>
public enum ControlErrorKind
{
    /// <summary>The request itself is wrong: not JSON, too long, an unknown command. Exit code 2.</summary>
    BadRequest,

    /// <summary>The engine could not answer (an actor did not reply in time). Exit code 1.</summary>
    Failed,
}

/// <summary>Writes the response lines: one JSON object with "ok", then the answer's fields or the error.</summary>
public static class ControlReply
{
    public static byte[] Ok(Action<Utf8JsonWriter> fields)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteBoolean("ok", true);
            fields(json);
            json.WriteEndObject();
        }
        return WithNewline(buffer.WrittenSpan);
    }

    /// <param name="more">Fields after the reason, for a client that reads them (a reload's "errors", say).</param>
    public static byte[] Error(ControlErrorKind kind, string reason, Action<Utf8JsonWriter>? more = null)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteBoolean("ok", false);
            json.WriteString("kind", kind == ControlErrorKind.BadRequest ? "bad-request" : "failed");
            json.WriteString("error", reason);
            more?.Invoke(json);
            json.WriteEndObject();
        }
        return WithNewline(buffer.WrittenSpan);
    }

    private static byte[] WithNewline(ReadOnlySpan<byte> json)
    {
        var line = new byte[json.Length + 1];
        json.CopyTo(line);
        line[^1] = (byte)'\n';
        return line;
    }
}
