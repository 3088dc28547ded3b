using System.Text;

namespace Engine.Actors.Topology;

/// <summary>The lab's <c>control { socket = PATH }</c>: where its control socket is served, when not the default.</summary>
internal static class ControlSettingsReader
{
    /// <summary>sun_path holds 108 bytes, the last a NUL.</summary>
    public const int MaxSocketPathBytes = 107;

    public static string? ReadSocket(ObjectReader engine, ErrorList errors)
    {
        if (engine.Find("control") is not { } node || ObjectReader.AsObject(node, errors) is not { } section)
            return null;
        var control = new ObjectReader(section, errors, ["socket"]);
        if (control.Scalar("socket", "an absolute path") is not { } written)
            return null;
        var path = written.Text;
        if (!path.StartsWith('/') || path.EndsWith('/'))
            errors.Add(written.Path, $"must be an absolute path to a socket file, got {written.Describe()}");
        else if (Encoding.UTF8.GetByteCount(path) > MaxSocketPathBytes)
            errors.Add(written.Path, $"must be at most {MaxSocketPathBytes} bytes long (a Unix socket's path), got {Encoding.UTF8.GetByteCount(path)}");
        else if (path.Contains('\0'))
            errors.Add(written.Path, "must not contain NUL");
        return path;
    }
}
