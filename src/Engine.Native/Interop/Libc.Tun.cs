using System.Runtime.InteropServices;

namespace Engine.Native.Interop;

internal static unsafe partial class Libc
{
    // linux/if_tun.h: _IOW('T', n, int)
    internal const uint TUNSETIFF = 0x400454ca;
    internal const uint TUNSETPERSIST = 0x400454cb;

    internal const short IFF_TUN = 0x0001;
    internal const short IFF_TAP = 0x0002;
    internal const short IFF_NO_PI = 0x1000;

    internal const int IFNAMSIZ = 16;

    /// <summary>struct ifreq as TUNSETIFF reads it: the name, then the flags in the union (40 bytes in all).</summary>
    [StructLayout(LayoutKind.Sequential, Size = 40)]
    internal struct IfReqFlags
    {
        public fixed byte Name[IFNAMSIZ];
        public short Flags;
    }

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int ioctl(int fd, nuint request, void* argp);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial nint read(int fd, byte* buffer, nuint count);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial nint write(int fd, byte* buffer, nuint count);
}
