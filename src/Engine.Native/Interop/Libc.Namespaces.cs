using System.Runtime.InteropServices;

namespace Engine.Native.Interop;

/// <summary>Namespace and mount calls used to manage named network namespaces the iproute2 way.</summary>
internal static unsafe partial class Libc
{
    internal const int CLONE_NEWNET = 0x40000000;

    internal const ulong MS_BIND = 0x1000;
    internal const ulong MS_REC = 0x4000;
    internal const ulong MS_SHARED = 0x100000;
    internal const int MNT_DETACH = 2;

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int unshare(int flags);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int setns(int fd, int nsType);

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mount(string source, string target, string? fileSystemType, ulong flags, void* data);

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int umount2(string target, int flags);
}
