using Engine.Actors.Lab;
using Engine.Actors.Topology;
using Engine.Native;
using Engine.Native.Files;

namespace Engine.Commands;

/// <summary>
/// What a running lab holds so that a second run, or a cleanup, of the same lab refuses instead
/// of fighting over it: one <see cref="PidLock"/> under /run/engine for each namespace the lab
/// declares, and one for each fixed-name device in the engine's own namespace (keyed by that
/// namespace's inode, so engines started in different namespaces do not meet). Two labs are the
/// same lab as far as they share one of these, whichever files they were read from: that is
/// exactly what the kernel would not let both have.
/// </summary>
internal sealed class LabLocks : ILabLocks, IDisposable
{
    public const string Directory = "/run/engine";

    // By path: this process holds each once (a second flock of its own would refuse it).
    private readonly Dictionary<string, PidLock> _held;

    private LabLocks(Dictionary<string, PidLock> held) => _held = held;

    /// <summary>
    /// Takes every lock of <paramref name="lab"/>, or none: null when another process holds one,
    /// with a line naming it and its pid in <paramref name="holder"/>.
    /// </summary>
    public static LabLocks? TryAcquire(LabTopology lab, out string holder)
    {
        var locks = new LabLocks([]);
        return locks.TryTake(lab, out holder) ? locks : null;
    }

    public bool TryTake(LabTopology next, out string holder)
    {
        holder = "";
        var taken = new List<string>();
        foreach (var (what, path) in LocksOf(next).Where(l => !_held.ContainsKey(l.Path)))
        {
            var acquired = PidLock.TryAcquire(path, out var pid);
            if (acquired is not null)
            {
                _held.Add(path, acquired);
                taken.Add(path);
                continue;
            }
            foreach (var undone in taken) Release(undone);
            holder = $"engine pid {(pid == 0 ? "(starting)" : pid)} is running this lab ({what}, {path})";
            return false;
        }
        return true;
    }

    public void KeepOnly(LabTopology lab)
    {
        var needed = LocksOf(lab).Select(l => l.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var path in _held.Keys.Where(path => !needed.Contains(path)).ToList()) Release(path);
    }

    private void Release(string path)
    {
        _held[path].Dispose();
        _held.Remove(path);
    }

    /// <summary>
    /// <see cref="TryAcquire"/>, or one line on stderr saying why not, after <paramref name="refusal"/>
    /// ("not starting: engine pid 4242 is running this lab (namespace host-a, /run/engine/netns-host-a.lock)"),
    /// and the exit code for it in <paramref name="exitCode"/>.
    /// </summary>
    public static LabLocks? TryAcquireOrExplain(LabTopology lab, string refusal, out int exitCode)
    {
        try
        {
            exitCode = EngineCommandLine.ExitLabRunning;
            if (TryAcquire(lab, out var holder) is { } locks) return locks;
            Console.Error.WriteLine($"{refusal}: {holder}");
        }
        catch (NativeException e)
        {
            exitCode = 1;
            Console.Error.WriteLine($"{refusal}: cannot lock the lab: {e.Message}");
        }
        return null;
    }

    public void Dispose()
    {
        foreach (var held in _held.Values) held.Dispose();
        _held.Clear();
    }

    /// <summary>The lock that covers device <paramref name="device"/> in <paramref name="space"/> (null: the engine's own namespace).</summary>
    public static string PathOf(string? space, string device) =>
        space is null ? $"{Directory}/link-{EngineNamespaceId()}-{device}.lock" : $"{Directory}/netns-{space}.lock";

    private static IEnumerable<(string What, string Path)> LocksOf(LabTopology lab)
    {
        foreach (var name in lab.Namespaces.Order(StringComparer.Ordinal))
            yield return ($"namespace {name}", $"{Directory}/netns-{name}.lock");
        foreach (var device in lab.Devices.Where(d => d.Namespace is null && !d.Name.Contains("%d", StringComparison.Ordinal)).Select(d => d.Name).Order(StringComparer.Ordinal))
            yield return ($"device {device} in the engine's namespace", PathOf(null, device));
    }

    /// <summary>The inode of this process's network namespace, from the "net:[4026531840]" link.</summary>
    private static string EngineNamespaceId()
    {
        var target = new FileInfo("/proc/self/ns/net").LinkTarget ?? "net";
        return new string(target.Where(char.IsAsciiDigit).ToArray());
    }
}
