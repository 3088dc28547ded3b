using Akka.Actor;
using Engine.Actors.Counters;
using Engine.Actors.Router;
using Engine.Actors.Routing;
using Engine.Actors.Switching;
using Engine.Actors.Topology;
using Engine.Actors.Wire;

namespace Engine.Actors.Lab;

/// <summary>
/// The ports of switches' router interfaces: after the peers, in the order of the switches that
/// have a gateway, so the numbers controllers see for devices and peers stay as they were. No
/// device or actor is behind one: the router switches its frames itself.
/// </summary>
internal static class RouterInterfacePorts
{
    /// <param name="lab">The lab with its peers adjusted to run (a switched link's MTU counts the Ethernet header).</param>
    /// <param name="firstIndex">The port number of the first router interface: devices and peers come before.</param>
    /// <param name="controlPlane">The port of a router interface's control-plane mirror, by the switch's name; -1 for none.</param>
    public static IEnumerable<Port> Build(LabTopology lab, IReadOnlyList<SwitchMembership?> switches, int firstIndex, int defaultPeerMtu, Func<string, int> controlPlane) =>
        SwitchPlan.RouterInterfaces(lab).Select((spec, i) => Build(lab, spec, firstIndex + i, switches, defaultPeerMtu, controlPlane));

    /// <summary>The router interface of <paramref name="spec"/> as port <paramref name="index"/>.</summary>
    public static Port Build(LabTopology lab, SwitchSpec spec, int index, IReadOnlyList<SwitchMembership?> switches, int defaultPeerMtu, Func<string, int> controlPlane)
    {
        var gateways = spec.Gateways.Select(g => g.Address).ToList();
        return new Port(index, spec.Name, ActorRefs.Nobody, spec.Ports.Min(member => IpMtu(lab, member, defaultPeerMtu)), new PortCounters())
        {
            IsEthernet = true,
            IsRouterInterface = true,
            Mac = MacAddress.LocallyAdministered(spec.Name),
            Ipv4Address = GatewayAddresses.V4(gateways),
            Ipv6Address = GatewayAddresses.V6(gateways),
            Switch = switches[index],
            ControlPlane = controlPlane(spec.Name),
        };
    }

    /// <summary>The largest IP packet a member carries: a routed packet leaves through any of them.</summary>
    private static int IpMtu(LabTopology lab, string member, int defaultPeerMtu) =>
        lab.Devices.FirstOrDefault(d => d.Name == member)?.Mtu
        ?? (lab.Peers.First(p => p.Name == member).Mtu ?? defaultPeerMtu + Forwarder.WiredLinkHeader) - Forwarder.WiredLinkHeader;
}
