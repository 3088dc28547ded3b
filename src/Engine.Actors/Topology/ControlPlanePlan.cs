using System.Collections.Immutable;
using Engine.Actors.Wire;
using Engine.Native.Tun;

namespace Engine.Actors.Topology;

/// <summary>One routed port's interface in the control-plane namespace: the device the engine opens there for it.</summary>
/// <param name="Port">The routed port's name, which the mirror's device bears too.</param>
public sealed record ControlPlaneMirror(string Port, DeviceSpec Device)
{
    /// <summary>The mirror's line of the plan: "control-plane interface tun-a (tun) in rtr with 10.0.1.254/24".</summary>
    public override string ToString() =>
        $"control-plane interface {Device.Name} ({(Device.Type == DeviceType.Tap ? "tap" : "tun")}) in {Device.Namespace}"
        + (Device.Addresses.IsEmpty ? ", no address" : " with " + string.Join(", ", Device.Addresses))
        + (Device.Mac is { } mac ? $", mac {mac}" : "");
}

/// <summary>
/// The interfaces a lab's control-plane namespace gets: one per routed port, in port order
/// (routed devices, routed peers other than controllers, switches' router interfaces). A tun
/// for a tun or a peer, a tap for a tap or a router interface with the MAC the engine uses on
/// that port; each carries the engine's own addresses on its port with the prefix length of the
/// port's subnet, so a routing daemon there is the hosts' gateway. Used by <c>engine check</c>'s
/// plan and by the lab, which opens them as devices of their own (ports after the router
/// interfaces, <see cref="Engine.Actors.Lab.ControlPlanePorts"/>).
/// </summary>
public static class ControlPlanePlan
{
    public static IReadOnlyList<ControlPlaneMirror> Mirrors(LabTopology lab)
    {
        if (lab.ControlPlane is not { } plane) return [];
        var unrouted = new HashSet<string>(lab.Wires.SelectMany(w => new[] { w.First, w.Second }), StringComparer.Ordinal);
        unrouted.UnionWith(lab.Switches.SelectMany(s => s.Ports));
        var mirrors = new List<ControlPlaneMirror>();
        foreach (var device in lab.Devices)
            if (device.Switch is null && !unrouted.Contains(device.Name))
                mirrors.Add(Mirror(plane, device.Name, device.Type, device.Mtu, GatewayAddresses(device)));
        foreach (var peer in lab.Peers)
            if (peer.Role != PeerRole.Controller && !unrouted.Contains(peer.Name))
                mirrors.Add(Mirror(plane, peer.Name, DeviceType.Tun, peer.Mtu ?? DeviceSpec.DefaultMtu, []));
        foreach (var l2 in lab.Switches)
            if (!l2.Gateways.IsEmpty)
                mirrors.Add(Mirror(plane, l2.Name, DeviceType.Tap, DeviceSpec.DefaultMtu, l2.Gateways));
        return mirrors;
    }

    /// <param name="mtu">What the plan shows; the lab gives the mirror its port's MTU when it opens it.</param>
    private static ControlPlaneMirror Mirror(ControlPlaneSpec plane, string port, DeviceType type, int mtu, ImmutableArray<InterfaceAddress> addresses) =>
        new(port, new DeviceSpec(port, type, mtu, plane.Namespace, addresses, [], Persistent: false, Switch: null)
        {
            // A daemon's packets are small and finished; the mirror takes no super-frames.
            Offloads = TunOffloads.None,
            Mac = type == DeviceType.Tap ? MacAddress.LocallyAdministered(port) : null,
        });

    /// <summary>Each gateway with the prefix length of the device subnet that holds it (a host route when none does).</summary>
    private static ImmutableArray<InterfaceAddress> GatewayAddresses(DeviceSpec device) =>
        [.. device.Gateways.Select(gateway => new InterfaceAddress(gateway,
            device.Addresses.FirstOrDefault(a => a.Family == gateway.AddressFamily && a.IsInSubnet(gateway)) is { Address: not null } subnet
                ? subnet.PrefixLength
                : AddressText.MaxPrefixLength(gateway.AddressFamily)))];
}
