using Engine.Actors.Routing;

namespace Engine.Actors.Router;

/// <summary>What each port takes unfinished, by port index, as its device or link last said.</summary>
public sealed class PortOffloadTable
{
    private PortOffloads[] _byPort = new PortOffloads[8];

    public PortOffloads this[int port] => (uint)port < (uint)_byPort.Length ? _byPort[port] : PortOffloads.None;

    public void Set(int port, PortOffloads offloads)
    {
        if (port >= _byPort.Length) Array.Resize(ref _byPort, Math.Max(port + 1, _byPort.Length * 2));
        _byPort[port] = offloads;
    }
}
