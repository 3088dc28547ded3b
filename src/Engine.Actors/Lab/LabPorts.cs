using System.Collections;
using Akka.Actor;
using Engine.Actors.Counters;
using Engine.Actors.Dataplane;
using Engine.Actors.Devices;
using Engine.Actors.Peers;
using Engine.Actors.Routing;
using Engine.Actors.Switching;
using Engine.Actors.Topology;
using Engine.Actors.Wire;

namespace Engine.Actors.Lab;

/// <summary>
/// The lab's ports in the router's order (a port's number is its place) and the actors the lab
/// cannot run without: each device and peer, started and watched here. A reload retires a port
/// (<see cref="Retire"/>: an empty place, its actor no longer essential, so its stop is not the
/// lab's failure) and starts ports in their old place or after the rest (<see cref="SlotOf"/>).
/// Used by the lab actor alone, on its thread; the router and the route book get copies.
/// </summary>
internal sealed class LabPorts(IUntypedActorContext context, ControlPlanePorts controlPlane) : IReadOnlyList<Port>
{
    private readonly List<Port> _ports = [];
    private readonly HashSet<IActorRef> _essential = [];

    public int Count => _ports.Count;

    public Port this[int index] => _ports[index];

    public IEnumerator<Port> GetEnumerator() => _ports.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Add(Port port) => _ports.Add(port);

    public void AddRange(IEnumerable<Port> ports) => _ports.AddRange(ports);

    /// <summary>The place of the live port named <paramref name="name"/>, or -1.</summary>
    public int IndexOf(string name) => _ports.FindIndex(p => p.Name == name && !p.IsRetired);

    /// <summary>Whether the lab stops when <paramref name="actor"/> does.</summary>
    public bool IsEssential(IActorRef actor) => _essential.Contains(actor);

    /// <summary>Watches <paramref name="actor"/>: the lab cannot run without it.</summary>
    public void Watch(IActorRef actor)
    {
        context.Watch(actor);
        _essential.Add(actor);
    }

    /// <summary>Empties the live port named <paramref name="name"/>'s place; its actor, still watched, is returned for the caller to stop.</summary>
    public IActorRef Retire(string name)
    {
        var index = IndexOf(name);
        var actor = _ports[index].Target;
        _essential.Remove(actor);
        _ports[index] = Port.Retired(index, name);
        return actor;
    }

    /// <summary>Where the port named <paramref name="name"/> goes: its old place (retired), or a new one after every other.</summary>
    public int SlotOf(string name)
    {
        var index = _ports.FindIndex(p => p.Name == name);
        if (index >= 0) return index;
        _ports.Add(Port.Retired(_ports.Count, name));
        return _ports.Count - 1;
    }

    /// <summary>Puts <paramref name="port"/> in its place, which <see cref="SlotOf"/> gave.</summary>
    public void Set(Port port) => _ports[port.Index] = port;

    /// <summary>
    /// Gives the live port at <paramref name="index"/> the wires, switch place and control-plane
    /// mirror a reload planned, when they differ from what it has; its actor goes on as it is.
    /// </summary>
    /// <param name="device">The port's device, whose gateways are its own addresses when it is in no switch; null for a peer.</param>
    public void Rewire(int index, PortWires? wires, SwitchMembership? membership, DeviceSpec? device)
    {
        var port = _ports[index];
        var mirror = controlPlane.PortOf(port.Name);
        if (PortWires.Same(port.Wires, wires) && Equals(port.Switch, membership) && port.ControlPlane == mirror) return;
        _ports[index] = port.Rewired(wires, membership,
            device is null ? port.Ipv4Address : OwnV4(device, membership), device is null ? port.Ipv6Address : OwnV6(device, membership), mirror);
    }

    // A switch member's gateway is its switch's, whose router interface has it.
    private static uint OwnV4(DeviceSpec spec, SwitchMembership? membership) => membership is null ? GatewayAddresses.V4(spec.Gateways) : 0;

    private static UInt128 OwnV6(DeviceSpec spec, SwitchMembership? membership) => membership is null ? GatewayAddresses.V6(spec.Gateways) : UInt128.Zero;

    /// <summary>A device actor for <paramref name="spec"/> as port <paramref name="index"/>, and the port.</summary>
    /// <param name="openInBackground">Open it off the data-plane thread (the lab is up and other ports forward there).</param>
    public Port StartDevice(DeviceSpec spec, int index, DeviceContext devices, PortWires? wires, SwitchMembership? membership, bool openInBackground)
    {
        var (device, counters) = StartDeviceActor(spec, index, devices, ActorName(spec.Name, index), openInBackground);
        return new Port(index, spec.Name, device, spec.Mtu, counters)
        {
            IsEthernet = spec.Type == DeviceType.Tap,
            Mac = MacAddress.LocallyAdministered(spec.Name),
            Ipv4Address = OwnV4(spec, membership),
            Ipv6Address = OwnV6(spec, membership),
            Wires = wires,
            Switch = membership,
            ControlPlane = controlPlane.PortOf(spec.Name),
        };
    }

    /// <summary>A peer actor for <paramref name="spec"/> as port <paramref name="index"/>, watched, and the port.</summary>
    public Port StartPeer(PeerSpec spec, int index, PeerEnvironment environment, PortWires? wires, SwitchMembership? membership)
    {
        var counters = new PortCounters();
        var peer = context.ActorOf(PeerActor.Props(spec, index, counters, environment).OnDataplane(), "peer-" + spec.Name);
        Watch(peer);
        return new Port(index, spec.Name, peer, spec.Mtu ?? environment.DefaultMtu, counters)
        {
            IsPeer = true,
            IsController = spec.Role == PeerRole.Controller,
            Wires = wires,
            Switch = membership,
            ControlPlane = controlPlane.PortOf(spec.Name),
        };
    }

    /// <summary>
    /// The interface of <paramref name="mirror"/> in the control-plane namespace as port
    /// <paramref name="index"/>, with its routed port's MTU, and MAC on a tap: what the daemon
    /// writes there leaves through the port it mirrors, which is in place already.
    /// </summary>
    public Port StartMirror(ControlPlaneMirror mirror, int index, DeviceContext devices, bool openInBackground)
    {
        var routed = _ports[IndexOf(mirror.Port)];
        var spec = mirror.Device with { Mtu = routed.Mtu };
        var (device, counters) = StartDeviceActor(spec, index, devices, "control-plane-" + ActorName(spec.Name, index), openInBackground);
        return new Port(index, ControlPlanePorts.PortName(mirror), device, spec.Mtu, counters)
        {
            IsEthernet = routed.IsEthernet,
            Mac = routed.Mac,
            MirrorOf = routed.Index,
        };
    }

    /// <summary>A device actor for <paramref name="spec"/> as port <paramref name="index"/>, watched: the lab cannot run without it.</summary>
    public (IActorRef Device, PortCounters Counters) StartDeviceActor(DeviceSpec spec, int index, DeviceContext devices, string actorName, bool openInBackground)
    {
        var counters = new PortCounters();
        var device = context.ActorOf(DeviceActor.Props(spec, index, counters, devices, openInBackground).OnDataplane(), actorName);
        Watch(device);
        return (device, counters);
    }

    public static string ActorName(string device, int index) =>
        device.Contains('%') ? $"device-{index}" : device;
}
