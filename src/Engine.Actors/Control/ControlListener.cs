using System.Net.Sockets;
using Engine.Native;
using Engine.Native.Files;
using Engine.Native.Process;

namespace Engine.Actors.Control;

/// <summary>
/// Opens a lab's control socket: a Unix stream socket at its path, mode 0600 (0660 owned by the
/// lab's control group, when it grants one), in a directory made
/// 0755 when missing. The socket is bound under a temporary name, given its mode, then renamed
/// into place, so there is no moment when another user could connect. A socket file left by an
/// engine that died is replaced; one that an engine still serves is not, nor anything but a socket.
/// </summary>
public static class ControlListener
{
    private const UnixFileMode SocketMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <exception cref="IOException">The path is served by a running engine, or cannot be made (the reason says which).</exception>
    /// <param name="group">A group to give the socket to, with mode 0660 (control.group); null keeps it 0600.</param>
    public static Socket Open(string path, uint? group = null)
    {
        var directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
            Directory.CreateDirectory(directory, DirectoryMode);
        if (File.Exists(path) || Directory.Exists(path))
        {
            // Only a socket an engine left behind is replaced: a typo in control.socket must never cost a file.
            if (!FileKind.IsSocket(path)) throw new IOException($"{path} exists and is not a socket: refusing to replace it");
            if (IsServed(path)) throw new IOException($"{path} is served by another engine");
            File.Delete(path);
        }
        var temporary = $"{path}.{Environment.ProcessId}.new";
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            File.Delete(temporary);
            socket.Bind(new UnixDomainSocketEndPoint(temporary));
            if (group is { } gid) ProcessIdentity.SetGroup(temporary, gid);
            File.SetUnixFileMode(temporary, group is null ? SocketMode : SocketMode | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
            File.Move(temporary, path, overwrite: true);
            socket.Listen(16);
            return socket;
        }
        catch (Exception e) when (e is SocketException or UnauthorizedAccessException or NativeException)
        {
            socket.Dispose();
            File.Delete(temporary);
            throw new IOException($"cannot serve {path}: {e.Message}", e);
        }
    }

    /// <summary>Whether something accepts connections on <paramref name="path"/>: a refused connect means the socket file is stale.</summary>
    public static bool IsServed(string path)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
