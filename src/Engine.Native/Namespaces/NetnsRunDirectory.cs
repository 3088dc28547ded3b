using System.Runtime.InteropServices;
using Engine.Native.Interop;

namespace Engine.Native.Namespaces;

/// <summary>
/// /run/netns, where iproute2 keeps named network namespaces as bind mounts of nsfs files.
/// It must be a mount point with shared propagation so namespaces mounted here appear in every
/// mount namespace (ip netns exec runs commands in a new one); this prepares it the way
/// iproute2's netns_add does.
/// </summary>
internal static unsafe class NetnsRunDirectory
{
    public const string Path = "/run/netns";

    private static readonly Lock Preparing = new();

    public static string PathOf(string name) => $"{Path}/{name}";

    public static void EnsureSharedMountPoint()
    {
        // Two concurrent first-time preparations would both bind-mount the directory on itself.
        lock (Preparing)
        {
            const uint mode = 0b111_101_101; // rwxr-xr-x
            if (Libc.mkdir(Path, mode) < 0 && Marshal.GetLastPInvokeError() != Errno.EEXIST)
                throw NativeException.FromLastError("create directory", Path);

            var boundOnItself = false;
            while (true)
            {
                if (Libc.mount("", Path, "none", Libc.MS_SHARED | Libc.MS_REC, null) == 0)
                    return;
                // EINVAL: not a mount point yet. Make it one by binding it on itself, then retry once.
                var errno = Marshal.GetLastPInvokeError();
                if (errno != Errno.EINVAL || boundOnItself)
                    throw new NativeException("make shared mount", Path, errno);
                if (Libc.mount(Path, Path, "none", Libc.MS_BIND | Libc.MS_REC, null) < 0)
                    throw NativeException.FromLastError("bind mount", Path);
                boundOnItself = true;
            }
        }
    }
}
