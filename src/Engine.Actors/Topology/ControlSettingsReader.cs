using System.Text;

namespace Engine.Actors.Topology;

/// <summary>
/// The lab's <c>control { socket = PATH, group = NAME }</c>: where its control socket is served,
/// when not the default, and the group whose members may use it beside root and the engine's user.
/// </summary>
internal static class ControlSettingsReader
{
    /// <summary>sun_path holds 108 bytes, the last a NUL.</summary>
    public const int MaxSocketPathBytes = 107;

    public static (string? Socket, uint? Group) Read(ObjectReader engine, ErrorList errors)
    {
        if (engine.Find("control") is not { } node || ObjectReader.AsObject(node, errors) is not { } section)
            return (null, null);
        var control = new ObjectReader(section, errors, ["socket", "group"]);
        return (ReadSocket(control, errors), ReadGroup(control, errors));
    }

    /// <summary>A group name this machine knows, or a number, as chown takes it.</summary>
    private static uint? ReadGroup(ObjectReader control, ErrorList errors)
    {
        if (control.Scalar("group", "a group name or number") is not { } written)
            return null;
        if (uint.TryParse(written.Text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var gid))
            return gid;
        if (Engine.Native.Process.ProcessIdentity.GroupId(written.Text) is { } named)
            return named;
        errors.Add(written.Path, $"no group named {ValueText.Quote(written.Text)} on this machine");
        return null;
    }

    private static string? ReadSocket(ObjectReader control, ErrorList errors)
    {
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
