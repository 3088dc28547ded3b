using System.Runtime.InteropServices;

namespace Engine.Native.Interop;

/// <summary>
/// The libc calls the engine makes, one partial file per concern (Libc.Tun.cs, Libc.Epoll.cs,
/// Libc.Netlink.cs, Libc.Namespaces.cs). Every import sets SetLastError so failures can name errno.
/// </summary>
internal static unsafe partial class Libc
{
    internal const string Name = "libc";

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int close(int fd);
}
