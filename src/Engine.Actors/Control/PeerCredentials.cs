using System.Runtime.InteropServices;
using System.Net.Sockets;

namespace Engine.Actors.Control;

/// <summary>The user at the other end of a Unix socket, as the kernel vouches for it (SO_PEERCRED).</summary>
public static class PeerCredentials
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>struct ucred's uid; null when the kernel would not say.</summary>
    public static uint? UserOf(Socket socket)
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
        return MemoryMarshal.Read<uint>(ucred[4..]);
    }

    /// <summary>Root and the engine's own user may drive it; anyone else is refused.</summary>
    public static bool MayControl(uint? user, uint engineUser) => user is { } uid && (uid == 0 || uid == engineUser);
}
