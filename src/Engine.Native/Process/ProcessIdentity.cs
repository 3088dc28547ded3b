using Engine.Native.Interop;

namespace Engine.Native.Process;

/// <summary>The calling process's identity, as the kernel checks it.</summary>
public static class ProcessIdentity
{
    public static uint EffectiveUserId => Libc.geteuid();

    /// <summary>The id of the group named <paramref name="name"/> (through NSS, as getgrnam finds it); null when there is none.</summary>
    public static unsafe uint? GroupId(string name)
    {
        var group = Libc.getgrnam(name);
        return group == 0 ? null : *(uint*)(group + 2 * sizeof(nint));
    }

    /// <summary>Gives <paramref name="path"/> to group <paramref name="gid"/>, its owner unchanged.</summary>
    /// <exception cref="NativeException">chown failed (the reason is errno's).</exception>
    public static void SetGroup(string path, uint gid)
    {
        if (Libc.chown(path, uint.MaxValue, gid) != 0) throw NativeException.FromLastError("chown", $"{path} to group {gid}");
    }

    /// <summary>
    /// Leaves the terminal's session and process group (setsid), so that a detached engine gets
    /// neither the terminal's Ctrl-C nor its hang-up. False when the process leads a group already.
    /// </summary>
    public static bool StartSession() => Libc.setsid() >= 0;

    /// <summary>Asks process <paramref name="pid"/> to stop the orderly way (SIGTERM); false when it is gone.</summary>
    public static bool Terminate(int pid) => Libc.kill(pid, Libc.SIGTERM) == 0;
}
