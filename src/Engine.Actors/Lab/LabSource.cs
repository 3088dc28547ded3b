using Engine.Actors.Topology;

namespace Engine.Actors.Lab;

/// <summary>
/// Where a running lab comes from, read again on each reload (<see cref="ReloadLab"/>), and what
/// the reloads did. It lives in the lab actor's Props, outside the actor (as the router's
/// <see cref="Router.RouterState"/> does), so an instance that a restart creates builds the lab
/// as last reloaded, not the first file, and its counts go on.
/// </summary>
/// <param name="read">Reads and checks the file as `engine check` does: the lab, or its <c>path: reason</c> lines.</param>
/// <param name="settings">What the engine was started with that wins over the file's keys (`run --log-level`, say).</param>
public sealed class LabSource(string path, Func<TopologyResult> read, Func<EngineSettings, EngineSettings>? settings = null)
{
    public string Path { get; } = path;

    /// <summary>The file read now, with the run's own settings applied; null with the file's errors in <paramref name="errors"/>.</summary>
    public LabTopology? Read(out IReadOnlyList<string> errors)
    {
        var result = read();
        errors = [.. result.ErrorLines];
        if (!result.IsValid) return null;
        return settings is null ? result.Topology : result.Topology with { Settings = settings(result.Topology.Settings) };
    }

    /// <summary>The locks the running lab holds, which a reload moves to the lab it applies; none when null.</summary>
    public ILabLocks? Locks { get; init; }

    /// <summary>The lab as the last reload applied it, as the file declares it; null until one did.</summary>
    public LabTopology? Applied { get; set; }

    /// <summary>Reloads applied (one that found nothing to change counts too).</summary>
    public long Reloads { get; set; }

    /// <summary>Reloads refused (a bad file, a change a running lab cannot take) or failed: they changed nothing.</summary>
    public long FailedReloads { get; set; }
}
