using Engine.Native.Interop;

namespace Engine.Native.Process;

/// <summary>The calling process's identity, as the kernel checks it.</summary>
public static class ProcessIdentity
{
    public static uint EffectiveUserId => Libc.geteuid();

    /// <summary>
    /// Leaves the terminal's session and process group (setsid), so that a detached engine gets
    /// neither the terminal's Ctrl-C nor its hang-up. False when the process leads a group already.
    /// </summary>
    public static bool StartSession() => Libc.setsid() >= 0;

    /// <summary>Asks process <paramref name="pid"/> to stop the orderly way (SIGTERM); false when it is gone.</summary>
    public static bool Terminate(int pid) => Libc.kill(pid, Libc.SIGTERM) == 0;
}
