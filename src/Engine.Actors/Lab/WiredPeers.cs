using System.Collections.Immutable;
using Engine.Actors.Router;
using Engine.Actors.Routing;
using Engine.Actors.Switching;
using Engine.Actors.Topology;

namespace Engine.Actors.Lab;

/// <summary>What wires change in a lab's peers before they start.</summary>
internal static class WiredPeers
{
    /// <summary>
    /// The lab's peers as their links must run: a link that carries tagged wires keeps DATA port
    /// fields both ways, and a link wired to a tap carries whole Ethernet frames, so its MTU (the
    /// largest frame it sends and takes) makes room for the Ethernet header and a VLAN tag, as does
    /// a switch member's link.
    /// </summary>
    /// <param name="portIndex">The port number of a device or peer name; by default devices first, then peers, in file order.</param>
    public static ImmutableArray<PeerSpec> Adjust(LabTopology lab, IReadOnlyList<PortWires?> wires, int defaultMtu,
        IReadOnlyList<SwitchMembership?>? switches = null, Func<string, int>? portIndex = null)
    {
        portIndex ??= name => LabLayout.PortIndexIn(lab, name);
        var taps = lab.Devices.Where(d => d.Type == DeviceType.Tap).Select(d => portIndex(d.Name)).ToHashSet();
        var peers = ImmutableArray.CreateBuilder<PeerSpec>(lab.Peers.Length);
        foreach (var spec in lab.Peers)
        {
            var index = portIndex(spec.Name);
            if (switches?[index] is not null)
            {
                peers.Add(spec with { Mtu = (spec.Mtu ?? defaultMtu) + Forwarder.WiredLinkHeader });
                continue;
            }
            if (wires[index] is not { } carried)
            {
                peers.Add(spec);
                continue;
            }
            var ethernet = carried.Ends.Any(end => taps.Contains(end.Port));
            peers.Add(spec with
            {
                CarriesWireTags = carried.IsTagged,
                Mtu = (spec.Mtu ?? defaultMtu) + (ethernet ? Forwarder.WiredLinkHeader : 0),
            });
        }
        return peers.MoveToImmutable();
    }
}
