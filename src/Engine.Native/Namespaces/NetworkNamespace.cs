using System.Runtime.InteropServices;
using Engine.Native.Interop;
using Engine.Native.Netlink;
using Engine.Native.Threading;
using Microsoft.Win32.SafeHandles;

namespace Engine.Native.Namespaces;

/// <summary>
/// Named network namespaces, kept exactly where and how iproute2 keeps them, so
/// `ip netns list` and `ip netns exec NAME` see the ones the engine creates and vice versa.
/// Nothing here moves the caller's thread: namespace switches happen on short-lived threads
/// (<see cref="DedicatedThread"/>).
/// </summary>
public static class NetworkNamespace
{
    private const int MaxNameLength = 255;

    /// <summary>
    /// Creates /run/netns/<paramref name="name"/> holding a new, empty network namespace, and brings
    /// its loopback up. An existing name is a NativeException with EEXIST.
    /// </summary>
    public static void Create(string name)
    {
        ValidateName(name);
        NetnsRunDirectory.EnsureSharedMountPoint();
        var path = NetnsRunDirectory.PathOf(name);

        // The file is the mount target; O_EXCL is what makes a taken name fail.
        var fd = Libc.open(path, Libc.O_RDONLY | Libc.O_CREAT | Libc.O_EXCL | Libc.O_CLOEXEC, 0);
        if (fd < 0)
            throw NativeException.FromLastError("create namespace", name);
        Libc.close(fd);

        try
        {
            DedicatedThread.Run($"netns create {name}", () =>
            {
                if (Libc.unshare(Libc.CLONE_NEWNET) < 0)
                    throw NativeException.FromLastError("unshare network namespace for", name);
                // Only this thread is in the new namespace, so it is /proc/thread-self, not /proc/self.
                unsafe
                {
                    if (Libc.mount("/proc/thread-self/ns/net", path, "none", Libc.MS_BIND, null) < 0)
                        throw NativeException.FromLastError("bind mount namespace", name);
                }
                using var rtnetlink = RtNetlink.Open();
                rtnetlink.SetLinkUp("lo");
                return true;
            });
        }
        catch
        {
            Remove(name, path, throwOnFailure: false);
            throw;
        }
    }

    /// <summary>
    /// Detaches and removes /run/netns/<paramref name="name"/>. The namespace itself lives on while
    /// processes, sockets or open handles still hold it. A missing name is a NativeException with ENOENT.
    /// </summary>
    public static void Delete(string name)
    {
        ValidateName(name);
        Remove(name, NetnsRunDirectory.PathOf(name), throwOnFailure: true);
    }

    public static bool Exists(string name)
    {
        ValidateName(name);
        return File.Exists(NetnsRunDirectory.PathOf(name));
    }

    /// <summary>A handle to the namespace, for setns or for moving a link into it.</summary>
    public static SafeFileHandle Open(string name)
    {
        ValidateName(name);
        var fd = Libc.open(NetnsRunDirectory.PathOf(name), Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        if (fd < 0)
            throw NativeException.FromLastError("open namespace", name);
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>An rtnetlink socket that lives in the namespace, usable from any thread.</summary>
    public static NetlinkSocket OpenNetlinkSocket(string name) => RunInside(name, NetlinkSocket.Open);

    /// <summary>Link, address and route configuration of the namespace.</summary>
    public static RtNetlink OpenRtNetlink(string name) => new(OpenNetlinkSocket(name));

    /// <summary>Runs <paramref name="work"/> on a dedicated thread that has entered the namespace.</summary>
    public static void RunInside(string name, Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        RunInside(name, () =>
        {
            work();
            return true;
        });
    }

    /// <summary>Runs <paramref name="work"/> on a dedicated thread that has entered the namespace.</summary>
    public static T RunInside<T>(string name, Func<T> work) => RunInsideAsync(name, work).GetAwaiter().GetResult();

    /// <summary>
    /// Starts <paramref name="work"/> on a dedicated thread that enters the namespace first; the task
    /// completes with the work. Opening the namespace's name happens there too: opening a path can block.
    /// </summary>
    public static Task<T> RunInsideAsync<T>(string name, Func<T> work)
    {
        ValidateName(name);
        ArgumentNullException.ThrowIfNull(work);
        return DedicatedThread.Start($"netns {name}", () =>
        {
            using var handle = Open(name);
            if (Libc.setns((int)handle.DangerousGetHandle(), Libc.CLONE_NEWNET) < 0)
                throw NativeException.FromLastError("enter namespace", name);
            return work();
        });
    }

    private static void Remove(string name, string path, bool throwOnFailure)
    {
        // EINVAL: not a mount point (a failed create left only the file); the unlink still matters.
        if (Libc.umount2(path, Libc.MNT_DETACH) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (throwOnFailure && errno != Errno.EINVAL && errno != Errno.ENOENT)
                throw new NativeException("unmount namespace", name, errno);
        }
        if (Libc.unlink(path) < 0 && throwOnFailure)
            throw NativeException.FromLastError("delete namespace", name);
    }

    private static void ValidateName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name is "." or ".." || name.Length > MaxNameLength || name.IndexOfAny(['/', '\0']) >= 0)
            throw new ArgumentException($"'{name}' is not a valid namespace name", nameof(name));
    }
}
