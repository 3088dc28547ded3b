using System.Runtime.InteropServices;

namespace Engine.Native.Interop;

/// <summary>rtnetlink constants and its send call; the socket calls themselves are in Libc.Sockets.cs. Values are the Linux ABI (identical on x86-64 and arm64).</summary>
internal static unsafe partial class Libc
{
    internal const int AF_NETLINK = 16;
    internal const int SOCK_RAW = 3;
    internal const int NETLINK_ROUTE = 0;

    internal const int SO_RCVTIMEO = 20;
    internal const int SOL_NETLINK = 270;
    internal const int NETLINK_CAP_ACK = 10;

    internal const int MSG_TRUNC = 0x20;

    [StructLayout(LayoutKind.Sequential)]
    internal struct TimeVal
    {
        public long Seconds;
        public long Microseconds;
    }

    [LibraryImport(Name, SetLastError = true)]
    internal static partial nint send(int fd, byte* buffer, nuint length, int flags);
}
