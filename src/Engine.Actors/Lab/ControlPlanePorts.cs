using Engine.Actors.Topology;

namespace Engine.Actors.Lab;

/// <summary>
/// The ports of the control-plane namespace's interfaces: at start after the switches' router
/// interfaces, in the order of <see cref="ControlPlanePlan.Mirrors"/>, so that every port number a
/// controller knows stays as it was; a reload places the mirrors of the routed ports it adds after
/// every other port, and removes those of the ports it removes. Each routed port learns its
/// mirror's number before either is made.
/// </summary>
internal sealed class ControlPlanePorts
{
    // By the routed port's name.
    private readonly Dictionary<string, (ControlPlaneMirror Mirror, int Index)> _placed = new(StringComparer.Ordinal);

    public ControlPlanePorts(IReadOnlyList<ControlPlaneMirror> mirrors, int firstIndex)
    {
        for (var i = 0; i < mirrors.Count; i++) _placed[mirrors[i].Port] = (mirrors[i], firstIndex + i);
    }

    public int Count => _placed.Count;

    /// <summary>The mirrors with their port numbers.</summary>
    public IEnumerable<(ControlPlaneMirror Mirror, int Index)> Mirrors => _placed.Values.OrderBy(m => m.Index);

    /// <summary>The port number of <paramref name="routedPort"/>'s mirror; -1 when it has none.</summary>
    public int PortOf(string routedPort) => _placed.TryGetValue(routedPort, out var placed) ? placed.Index : -1;

    /// <summary>Whether <paramref name="mirror"/> is placed as it is.</summary>
    public bool Has(ControlPlaneMirror mirror) => _placed.TryGetValue(mirror.Port, out var placed) && placed.Mirror.Equals(mirror);

    /// <summary>A reload gave <paramref name="mirror"/>'s routed port a mirror at <paramref name="index"/>.</summary>
    public void Place(ControlPlaneMirror mirror, int index) => _placed[mirror.Port] = (mirror, index);

    /// <summary>A reload took the mirror of <paramref name="routedPort"/> away.</summary>
    public void Remove(string routedPort) => _placed.Remove(routedPort);

    /// <summary>How a mirror's port is named in logs and counters: its interface, and the namespace it is in ("tun-a@rtr").</summary>
    public static string PortName(ControlPlaneMirror mirror) => $"{mirror.Device.Name}@{mirror.Device.Namespace}";
}
