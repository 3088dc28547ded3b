using System.Runtime.InteropServices;
using System.Net.Sockets;

namespace Engine.Actors.Control;

/// <summary>The user at the other end of a Unix socket, as the kernel vouches for it (SO_PEERCRED).</summary>
public static class PeerCredentials
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>struct ucred's uid; null when the kernel would not say.</summary>
    public static uint? UserOf(Socket socket) => Of(socket)?.User;

    /// <summary>struct ucred: the peer's pid, uid and gid; null when the kernel would not say.</summary>
    public static Credentials? Of(Socket socket)
    {
        Span<byte> ucred = stackalloc byte[12]; // pid, uid, gid
        try
        {
            if (socket.GetRawSocketOption(SolSocket, SoPeerCred, ucred) < 12) return null;
        }
        catch (SocketException)
        {
            return null;
        }
        return new Credentials(MemoryMarshal.Read<int>(ucred), MemoryMarshal.Read<uint>(ucred[4..]), MemoryMarshal.Read<uint>(ucred[8..]));
    }

    /// <summary>Root and the engine's own user may drive it; anyone else is refused.</summary>
    public static bool MayControl(uint? user, uint engineUser) => user is { } uid && (uid == 0 || uid == engineUser);

    /// <summary>
    /// Root, the engine's own user, and, when the lab grants one, the members of <paramref name="group"/>:
    /// by the peer's group or one of its supplementary groups (/proc/PID/status, read while it is connected).
    /// </summary>
    public static bool MayControl(Credentials? peer, uint engineUser, uint? group)
    {
        if (peer is not { } who) return false;
        if (MayControl(who.User, engineUser)) return true;
        return group is { } granted && (who.Group == granted || SupplementaryGroups(who.Pid).Contains(granted));
    }

    private static IReadOnlyList<uint> SupplementaryGroups(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("Groups:", StringComparison.Ordinal));
            return line is null ? [] : [.. line["Groups:".Length..].Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(uint.Parse)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return [];
        }
    }
}

/// <summary>Who is at the other end of a Unix socket: its process, user and primary group.</summary>
public readonly record struct Credentials(int Pid, uint User, uint Group);
