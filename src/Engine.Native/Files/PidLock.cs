using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Engine.Native.Interop;

namespace Engine.Native.Files;

/// <summary>
/// An exclusive flock(2) on a file that records the holder's pid. The kernel releases the lock
/// when its fd closes, so it ends with the process however the process ends (SIGKILL too); a
/// file left behind with a dead pid in it is simply locked again. The file is never deleted:
/// unlinking a lock file lets two processes lock two different files of one name.
/// </summary>
public sealed unsafe class PidLock : IDisposable
{
    private const uint FileMode = 0b110_100_100; // rw-r--r--
    private const uint DirectoryMode = 0b111_101_101; // rwxr-xr-x

    private int _fd;

    private PidLock(string path, int fd)
    {
        Path = path;
        _fd = fd;
    }

    public string Path { get; }

    /// <summary>
    /// Locks <paramref name="path"/> (creating it and its directory if need be) and writes this
    /// process's pid into it; null when another process holds it, with that process's pid in
    /// <paramref name="holder"/> (0 when it has not written it yet).
    /// </summary>
    public static PidLock? TryAcquire(string path, out int holder)
    {
        holder = 0;
        var directory = System.IO.Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory) && Libc.mkdir(directory, DirectoryMode) < 0 && Marshal.GetLastPInvokeError() != Errno.EEXIST)
            throw NativeException.FromLastError("create directory", directory);

        var fd = Libc.open(path, Libc.O_RDWR | Libc.O_CREAT | Libc.O_CLOEXEC, FileMode);
        if (fd < 0)
            throw NativeException.FromLastError("open lock file", path);
        if (Libc.flock(fd, Libc.LOCK_EX | Libc.LOCK_NB) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == Errno.EAGAIN)
                holder = ReadPid(fd);
            Libc.close(fd);
            if (errno == Errno.EAGAIN)
                return null;
            throw new NativeException("lock", path, errno);
        }
        try
        {
            WritePid(fd, path);
        }
        catch
        {
            Libc.close(fd);
            throw;
        }
        return new PidLock(path, fd);
    }

    /// <summary>
    /// The pid of the process that holds <paramref name="path"/> (0 when it has not written it
    /// yet), or null when nobody does; creates and writes nothing.
    /// </summary>
    public static int? HolderOf(string path)
    {
        var fd = Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == Errno.ENOENT) return null;
            throw new NativeException("open lock file", path, errno);
        }
        try
        {
            if (Libc.flock(fd, Libc.LOCK_EX | Libc.LOCK_NB) == 0) return null; // released when fd closes
            var errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.EAGAIN) throw new NativeException("lock", path, errno);
            return ReadPid(fd);
        }
        finally
        {
            Libc.close(fd);
        }
    }

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0) Libc.close(fd);
    }

    private static int ReadPid(int fd)
    {
        var buffer = stackalloc byte[32];
        var read = Libc.pread(fd, buffer, 32, 0);
        if (read <= 0) return 0;
        var text = Encoding.ASCII.GetString(buffer, (int)read).Trim();
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0;
    }

    private static void WritePid(int fd, string path)
    {
        var text = Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
        if (Libc.ftruncate(fd, 0) < 0)
            throw NativeException.FromLastError("truncate lock file", path);
        fixed (byte* bytes = text)
        {
            if (Libc.pwrite(fd, bytes, (nuint)text.Length, 0) != text.Length)
                throw NativeException.FromLastError("write lock file", path);
        }
    }
}
