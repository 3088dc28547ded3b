using System.Runtime.InteropServices;

namespace Engine.Native.Interop;

internal static partial class Libc
{
    internal const int PRIO_PROCESS = 0;

    /// <summary>On Linux a PRIO_PROCESS target is one thread, named by its thread id.</summary>
    [LibraryImport(Name, SetLastError = true)]
    internal static partial int setpriority(int which, uint who, int prio);

    /// <summary>The thread's nice value; -1 is also a valid one, so errno (cleared before the call) tells an error apart.</summary>
    [LibraryImport(Name, SetLastError = true)]
    internal static partial int getpriority(int which, uint who);

    [LibraryImport(Name)]
    internal static partial int gettid();
}
