using System.Runtime.InteropServices;

namespace Engine.Native.Interop;

/// <summary>Who this process is, and a session of its own for an engine that runs detached.</summary>
internal static partial class Libc
{
    [LibraryImport(Name)]
    internal static partial uint geteuid();

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int setsid();
}
