using Engine.Actors.Topology;

namespace Engine.Actors.Lab;

/// <summary>
/// The ports of the control-plane namespace's interfaces: after the switches' router interfaces,
/// in the order of <see cref="ControlPlanePlan.Mirrors"/>, so that every port number a controller
/// knows stays as it was. Each routed port learns its mirror's number before either is made.
/// </summary>
internal sealed class ControlPlanePorts(IReadOnlyList<ControlPlaneMirror> mirrors, int firstIndex)
{
    public int Count => mirrors.Count;

    /// <summary>The mirrors with their port numbers.</summary>
    public IEnumerable<(ControlPlaneMirror Mirror, int Index)> Mirrors => mirrors.Select((mirror, i) => (mirror, firstIndex + i));

    /// <summary>The port number of <paramref name="routedPort"/>'s mirror; -1 when it has none.</summary>
    public int PortOf(string routedPort)
    {
        for (var i = 0; i < mirrors.Count; i++)
            if (mirrors[i].Port == routedPort) return firstIndex + i;
        return -1;
    }

    /// <summary>How a mirror's port is named in logs and counters: its interface, and the namespace it is in ("tun-a@rtr").</summary>
    public static string PortName(ControlPlaneMirror mirror) => $"{mirror.Device.Name}@{mirror.Device.Namespace}";
}
