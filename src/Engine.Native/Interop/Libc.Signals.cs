using System.Runtime.InteropServices;

namespace Engine.Native.Interop;

/// <summary>Signals to other processes.</summary>
internal static partial class Libc
{
    internal const int SIGTERM = 15;

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int kill(int pid, int signal);
}
