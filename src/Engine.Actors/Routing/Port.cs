using Akka.Actor;
using Engine.Actors.Counters;
using Engine.Actors.Switching;
using Engine.Actors.Wire;

namespace Engine.Actors.Routing;

/// <summary>
/// A place frames enter and leave the router: a device or a socket peer.
/// <see cref="Ipv4Address"/>/<see cref="Ipv6Address"/> are the engine's own addresses on the
/// link (the hosts' gateway), the source of ICMP errors sent back out of this port.
/// </summary>
public sealed class Port(int index, string name, IActorRef target, int mtu, PortCounters counters)
{
    public int Index { get; } = index;
    public string Name { get; } = name;
    public IActorRef Target { get; } = target;
    public int Mtu { get; } = mtu;
    public PortCounters Counters { get; } = counters;

    /// <summary>
    /// An Ethernet (tap) link: frames carry an Ethernet header, and the engine answers ARP and
    /// neighbour solicitations for its own addresses there, as the hosts' gateway.
    /// </summary>
    public bool IsEthernet { get; init; }

    /// <summary>A socket peer: its link starts down and comes and goes.</summary>
    public bool IsPeer { get; init; }

    /// <summary>
    /// A controller's link: frames to it carry their ingress port as a tag, and a tagged frame
    /// from it leaves through the port it names, unrouted.
    /// </summary>
    public bool IsController { get; init; }

    /// <summary>
    /// The port's wires, when it is wired: its frames then go to the far end unchanged, past the
    /// router; null for a routed port.
    /// </summary>
    public PortWires? Wires { get; init; }

    /// <summary>
    /// The switch the port is a member of, and its place there: its frames are then switched on
    /// their MAC addresses, past the router; null for a port in no switch.
    /// </summary>
    public SwitchMembership? Switch { get; init; }

    /// <summary>
    /// A switch's router interface: an Ethernet port with the switch's gateway addresses and no
    /// device behind it, a member of its switch. What the switch sends it is routed at once, and
    /// what the router sends out of it is switched from it (its <see cref="Target"/> gets nothing).
    /// </summary>
    public bool IsRouterInterface { get; init; }

    /// <summary>
    /// The port of this routed port's interface in the control-plane namespace: what the router
    /// itself is sent on this link (its own addresses, link-local multicast, ARP and ND) goes
    /// there too or instead (Forwarder.ControlPlane.cs); -1 when the lab has no control plane.
    /// </summary>
    public int ControlPlane { get; init; } = -1;

    /// <summary>
    /// On a control-plane interface, the routed port it mirrors: what the daemon writes there
    /// leaves through that port as it is; -1 on every other port.
    /// </summary>
    public int MirrorOf { get; init; } = -1;

    /// <summary>
    /// A device or peer a reload removed: its place in the port list is kept (ports are numbered
    /// by place) with nothing behind it, and no route leads there. <see cref="Retired"/> makes one.
    /// </summary>
    public bool IsRetired { get; init; }

    /// <summary>The place of a removed port, under its old name; its counters start again at zero.</summary>
    public static Port Retired(int index, string name) =>
        new(index, name, ActorRefs.Nobody, 0, new PortCounters()) { IsRetired = true };

    /// <summary>
    /// This port as a reload rewired it: other wires, another place in a switch (and so other
    /// addresses of its own, a switch member having none), another control-plane mirror; the same
    /// actor and counters, so it goes on forwarding with what it has counted.
    /// </summary>
    public Port Rewired(PortWires? wires, SwitchMembership? membership, uint ipv4, UInt128 ipv6, int controlPlane) =>
        new(Index, Name, Target, Mtu, Counters)
        {
            IsEthernet = IsEthernet,
            IsPeer = IsPeer,
            IsController = IsController,
            IsRouterInterface = IsRouterInterface,
            MirrorOf = MirrorOf,
            Mac = Mac,
            Wires = wires,
            Switch = membership,
            Ipv4Address = ipv4,
            Ipv6Address = ipv6,
            ControlPlane = controlPlane,
        };

    /// <summary>The engine's MAC address on an Ethernet link.</summary>
    public MacAddress Mac { get; init; }

    /// <summary>Engine's IPv4 address on this link, big-endian value; 0 when it has none.</summary>
    public uint Ipv4Address { get; init; }

    /// <summary>Engine's IPv6 address on this link; zero when it has none.</summary>
    public UInt128 Ipv6Address { get; init; }

    private UInt128 _linkLocalIpv6;

    /// <summary>
    /// The port's IPv6 link-local address, from its MAC (a tun or a peer has none: the one a tap
    /// of its name would have). Worked out once, on first use.
    /// </summary>
    public UInt128 LinkLocalIpv6 => _linkLocalIpv6 != UInt128.Zero
        ? _linkLocalIpv6
        : _linkLocalIpv6 = (Mac.Value != 0 ? Mac : MacAddress.LocallyAdministered(Name)).LinkLocalIpv6();

    public override string ToString() => Name;
}
