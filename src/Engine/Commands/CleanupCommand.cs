using Engine.Native;
using Engine.Native.Namespaces;

namespace Engine.Commands;

/// <summary>
/// Removes what a lab leaves behind when its engine could not clean up (SIGKILL, a crash):
/// the network namespaces the lab file declares, with everything in them. A running engine
/// deletes the namespaces it created itself on SIGTERM; this is for the other cases. It refuses
/// while an engine runs the lab, and holds the lab's locks while it deletes, so no run starts meanwhile.
/// </summary>
internal static class CleanupCommand
{
    public static int Execute(FileInfo config)
    {
        if (!LabFile.TryLoad(config, out var lab)) return EngineCommandLine.ExitConfigError;
        using var locks = LabLocks.TryAcquireOrExplain(lab, "not cleaning up", out var refused);
        if (locks is null) return refused;

        var failed = false;
        foreach (var name in lab.Namespaces)
        {
            if (!NetworkNamespace.Exists(name))
            {
                Console.WriteLine($"namespace {name}: not there");
                continue;
            }
            try
            {
                NetworkNamespace.Delete(name);
                Console.WriteLine($"namespace {name}: deleted");
            }
            catch (NativeException e)
            {
                Console.Error.WriteLine($"namespace {name}: {e.Message}");
                failed = true;
            }
        }
        return failed ? 1 : 0;
    }
}
