using System.Runtime.InteropServices;

namespace Engine.Native.Interop;

/// <summary>Path-based file calls, so failures carry errno rather than a translated IOException.</summary>
internal static unsafe partial class Libc
{
    internal const int O_RDONLY = 0;
    internal const int O_RDWR = 0x2;
    internal const int O_NONBLOCK = 0x800;
    internal const int O_CREAT = 0x40;
    internal const int O_EXCL = 0x80;
    internal const int O_CLOEXEC = 0x80000;

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int open(string path, int flags, uint mode);

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mkdir(string path, uint mode);

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int unlink(string path);

    /// <summary>Fills struct stat (at most <see cref="StatSize"/> bytes) for the path itself, not a link's target.</summary>
    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int lstat(string path, byte* stat);

    internal const int StatSize = 256;
    internal const uint S_IFMT = 0xF000;
    internal const uint S_IFSOCK = 0xC000;

    /// <summary>Where st_mode lies in struct stat: after st_dev, st_ino and st_nlink on x86-64, after st_dev and st_ino on arm64.</summary>
    internal static int StatModeOffset => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 16 : 24;

    internal const int LOCK_EX = 2;
    internal const int LOCK_NB = 4;

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int flock(int fd, int operation);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int ftruncate(int fd, long length);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial nint pread(int fd, byte* buffer, nuint count, long offset);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial nint pwrite(int fd, byte* buffer, nuint count, long offset);
}
