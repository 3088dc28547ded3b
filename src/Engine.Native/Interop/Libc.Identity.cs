using System.Runtime.InteropServices;

namespace Engine.Native.Interop;

/// <summary>Who this process is, and a session of its own for an engine that runs detached.</summary>
internal static partial class Libc
{
    [LibraryImport(Name)]
    internal static partial uint geteuid();

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int setsid();

    /// <summary>struct group *; its gr_gid follows two pointers (gr_name, gr_passwd).</summary>
    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint getgrnam(string name);

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int chown(string path, uint owner, uint group);
}
