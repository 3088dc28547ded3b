using Engine.Actors.Routing;
using Engine.Actors.Switching;
using Engine.Actors.Topology;

namespace Engine.Actors.Lab;

/// <summary>How a lab's file becomes its ports as it starts: devices first, then peers, in file order, and what each carries.</summary>
internal static class LabLayout
{
    /// <summary>Devices first, then peers, in file order.</summary>
    public static int PortIndexIn(LabTopology lab, string name)
    {
        for (var i = 0; i < lab.Devices.Length; i++)
            if (lab.Devices[i].Name == name) return i;
        for (var i = 0; i < lab.Peers.Length; i++)
            if (lab.Peers[i].Name == name) return lab.Devices.Length + i;
        throw new ArgumentException($"no port named {name}", nameof(name));
    }

    /// <summary>A peer without an <c>mtu</c> carries what the largest device can.</summary>
    public static int DefaultPeerMtu(LabTopology lab) => lab.Devices.IsEmpty ? DeviceSpec.DefaultMtu : lab.Devices.Max(d => d.Mtu);

    /// <summary>The ports whose frames carry an Ethernet header: taps, switch members (router interfaces too), links wired to a tap only.</summary>
    public static HashSet<int> EthernetPorts(LabTopology lab, PortWires?[] wired, SwitchMembership?[] switches, int portCount) =>
        EthernetPorts(port => port < lab.Devices.Length && lab.Devices[port].Type == DeviceType.Tap, wired, switches, portCount);

    /// <param name="isTap">Whether the port numbered so is a tap device.</param>
    public static HashSet<int> EthernetPorts(Func<int, bool> isTap, PortWires?[] wired, SwitchMembership?[] switches, int portCount)
    {
        var ports = new HashSet<int>();
        for (var port = 0; port < portCount; port++)
            if (isTap(port) || port < switches.Length && switches[port] is not null
                || port < wired.Length && wired[port] is { } wires && wires.Ends.All(end => isTap(end.Port)))
                ports.Add(port);
        return ports;
    }
}
