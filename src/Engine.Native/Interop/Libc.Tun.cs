using System.Runtime.InteropServices;

namespace Engine.Native.Interop;

internal static unsafe partial class Libc
{
    // linux/if_tun.h: _IOW('T', n, int)
    internal const uint TUNSETIFF = 0x400454ca;
    internal const uint TUNSETPERSIST = 0x400454cb;
    internal const uint TUNGETFEATURES = 0x800454cf;   // _IOR('T', 207, unsigned int)
    internal const uint TUNSETOFFLOAD = 0x400454d0;    // _IOW('T', 208, unsigned int); the flags are the argument itself
    internal const uint TUNSETVNETHDRSZ = 0x400454d8;  // _IOW('T', 216, int)

    internal const short IFF_TUN = 0x0001;
    internal const short IFF_TAP = 0x0002;
    internal const short IFF_NO_PI = 0x1000;
    internal const short IFF_MULTI_QUEUE = 0x0100;
    internal const short IFF_VNET_HDR = 0x4000;

    // TUNSETOFFLOAD flags (linux/if_tun.h)
    internal const uint TUN_F_CSUM = 0x01;
    internal const uint TUN_F_TSO4 = 0x02;
    internal const uint TUN_F_TSO6 = 0x04;
    internal const uint TUN_F_TSO_ECN = 0x08;
    internal const uint TUN_F_UFO = 0x10;
    internal const uint TUN_F_USO4 = 0x20;
    internal const uint TUN_F_USO6 = 0x40;

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
