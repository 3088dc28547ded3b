using Akka.Actor;
using Akka.Event;
using Engine.Native;
using Engine.Native.Interop;
using Engine.Native.Namespaces;

namespace Engine.Actors.Lab;

/// <summary>
/// The network namespaces a lab declares: creates those that do not exist yet, notices one
/// deleted from outside while the lab runs (`ip netns delete`), and deletes the ones it created
/// when the lab stops. A namespace deleted from outside is said once: its devices keep their fds
/// (which hold the namespace itself alive) until they fail, and cannot be reopened by its name.
/// </summary>
internal sealed class LabNamespaces(IReadOnlyList<string> declared, ILoggingAdapter log)
{
    private const string WatchTimer = "namespaces";
    private static readonly TimeSpan WatchInterval = TimeSpan.FromSeconds(1);
    private IReadOnlyList<string> _declared = declared;
    private readonly List<string> _created = [];
    private readonly HashSet<string> _gone = new(StringComparer.Ordinal);

    public void Create()
    {
        foreach (var name in _declared)
        {
            if (_created.Contains(name)) continue;
            if (NetworkNamespace.Exists(name))
            {
                log.Info("using existing namespace {Namespace}", name);
                continue;
            }
            NetworkNamespace.Create(name);
            _created.Add(name);
            log.Info("created namespace {Namespace}", name);
        }
    }

    /// <summary>Has <paramref name="timers"/> send <see cref="WatchNamespaces"/> every second once the lab declares a namespace.</summary>
    public void WatchWith(ITimerScheduler timers)
    {
        if (_declared.Count > 0 && !timers.IsTimerActive(WatchTimer))
            timers.StartPeriodicTimer(WatchTimer, WatchNamespaces.Instance, WatchInterval);
    }

    /// <summary>Logs each namespace that has been deleted from outside since the last look, once.</summary>
    public void Watch()
    {
        foreach (var name in _declared)
            if (!_gone.Contains(name) && !NetworkNamespace.Exists(name))
                ReportGone(name);
    }

    /// <summary>
    /// A reloaded lab's namespaces: those it no longer declares and the engine created are deleted
    /// (their devices have closed by now), and those new to it are created.
    /// </summary>
    public void Reconcile(IReadOnlyList<string> next)
    {
        var dropped = _created.Where(name => !next.Contains(name)).ToList();
        DeleteCreated(dropped);
        _created.RemoveAll(dropped.Contains);
        _declared = next;
        Create();
    }

    public void DeleteCreated()
    {
        DeleteCreated(_created);
        _created.Clear();
    }

    private void DeleteCreated(IReadOnlyList<string> names)
    {
        foreach (var name in names)
        {
            try
            {
                if (!NetworkNamespace.Exists(name))
                {
                    if (!_gone.Contains(name)) ReportGone(name);
                    continue;
                }
                NetworkNamespace.Delete(name);
                log.Info("deleted namespace {Namespace}", name);
            }
            catch (NativeException e) when (e.Errno == Errno.ENOENT)
            {
                if (!_gone.Contains(name)) ReportGone(name); // deleted between the look and the delete
            }
            catch (NativeException e)
            {
                log.Error("could not delete namespace {Namespace}: {Reason}", name, e.Message); // the kernel said why: no stack
            }
            catch (Exception e)
            {
                log.Error(e, "could not delete namespace {Namespace}", name);
            }
        }
    }

    private void ReportGone(string name)
    {
        _gone.Add(name);
        log.Warning("namespace {Namespace} was deleted from outside the engine; its devices cannot be reopened", name);
    }
}

/// <summary>Time to look for namespaces deleted from outside (<see cref="LabNamespaces.Watch"/>).</summary>
internal sealed record WatchNamespaces
{
    public static readonly WatchNamespaces Instance = new();
}
