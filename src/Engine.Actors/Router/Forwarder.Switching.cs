using System.Diagnostics;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Routing;
using Engine.Actors.Switching;
using Engine.Actors.Wire;

namespace Engine.Actors.Router;

/// <summary>
/// Switched ports: each frame's source is learned on its member in the frame's VLAN, then the
/// frame goes out of the member its destination was learned on there, or, for broadcast,
/// multicast and unknown unicast, out of every other member carrying that VLAN: copies into their
/// egress batches, the frame itself moved to the last, each tagged as its member takes it
/// (Forwarder.Vlans.cs). Never back out of the ingress. A flooded frame is finished already: a
/// super-frame or a partial checksum is flooded nowhere yet (counted <c>unsupported</c>).
/// A switch's router interface is a member too, an access port of VLAN 1: a frame for its MAC,
/// and every broadcast and multicast in its VLAN, goes on to the router, untagged
/// (Forwarder.RouterInterface.cs); unknown unicast does not.
/// </summary>
internal sealed partial class Forwarder
{
    /// <summary>Frame <paramref name="index"/> from switch member <paramref name="ingress"/> is switched.</summary>
    private bool SwitchOne(FrameBatch batch, int index, Port ingress, SwitchMembership membership, RouteSnapshot routes)
    {
        var l2 = membership.Switch;
        var action = SwitchDecision.Decide(batch.Frame(index), membership.Member, Stopwatch.GetTimestamp(), l2.Table, l2.Storm, l2.Vlans,
            out var member, out var learned, out var vlan);
        if (learned == LearnOutcome.LimitReached)
            ingress.Counters.AddMacLimit();
        switch (action)
        {
            case SwitchAction.Forward:
                if (MemberPort(l2, member, routes) is not { } egress)
                    return Dropped(ingress, DropReason.PortDown);
                return egress.IsRouterInterface
                    ? ToRouterInVlan(batch, index, ingress, egress, l2.Vlans.EgressTag(member, vlan), routes)
                    : ForwardInVlan(batch, index, ingress, egress, l2.Vlans.EgressTag(member, vlan));
            // The router's own address is known before anything is learned from it.
            case SwitchAction.Flood when RouterFacing(membership, vlan, routes) is { } router && MacAddress.FromSpan(batch.Frame(index)) == router.Mac:
                return ToRouterInVlan(batch, index, ingress, router, 0, routes);
            case SwitchAction.Flood:
                return Flood(batch, index, ingress, membership, vlan, routes);
            case SwitchAction.Storm:
                return Dropped(ingress, DropReason.Storm);
            case SwitchAction.Filter:
                return Dropped(ingress, DropReason.Filtered);
            case SwitchAction.Vlan:
                return Dropped(ingress, DropReason.Vlan);
            default:
                return Dropped(ingress, DropReason.Malformed);
        }
    }

    private bool Flood(FrameBatch batch, int index, Port ingress, SwitchMembership membership, int vlan, RouteSnapshot routes)
    {
        ref var offload = ref batch.Offload(index);
        // A host's UDP broadcast or multicast (RIP, DHCP) comes with its checksum left to fill:
        // filled once here, every copy is a finished frame. A super-frame is not flooded.
        if (offload.NeedsChecksum && !offload.IsGso && ingress.IsEthernet) TryFillChecksum(batch, index, ingress);
        if (offload.IsGso || offload.NeedsChecksum)
            return Dropped(ingress, DropReason.Unsupported);
        var l2 = membership.Switch;
        var frame = batch.Frame(index);
        // Broadcast and multicast reach the router too (ARP, ND); an unknown unicast address is not its own.
        var router = MacAddress.FromSpan(frame).IsMulticast ? RouterFacing(membership, vlan, routes) : null;
        Port? previous = null;
        var previousVid = 0;
        var tooBig = false;
        for (var m = 0; m < l2.MemberPorts.Length; m++)
        {
            if (m == membership.Member || m == l2.RouterMember || MemberPort(l2, m, routes) is not { } egress)
                continue;
            var vid = l2.Vlans.EgressTag(m, vlan);
            if (vid == SwitchVlans.NotCarried)
                continue;
            if (!Fits(frame.Length + RetagGrowth(frame, vid), egress, ingress))
            {
                tooBig = true;
                continue;
            }
            // Each member but the last gets a copy; the last gets the frame itself, unless the router takes it.
            if (previous is not null) CopyInVlan(frame, previous, previousVid, ingress);
            previous = egress;
            previousVid = vid;
        }
        if (router is not null)
        {
            if (previous is not null) CopyInVlan(frame, previous, previousVid, ingress);
            return ToRouterInVlan(batch, index, ingress, router, 0, routes);
        }
        // No other member in the frame's VLAN: it stays on the ingress's segment.
        if (previous is null)
        {
            if (!tooBig) ingress.Counters.AddDrop(DropReason.Filtered);
            return false;
        }
        if (!TryRetag(batch, index, previousVid))
            return Dropped(ingress, DropReason.Unsupported);
        return MoveOut(_egress, batch, index, previous, ingress, tag: -1);
    }

    private void CopyInVlan(ReadOnlySpan<byte> frame, Port egress, int vid, Port ingress)
    {
        if (_egress.For(egress) is not { } target || !TryAppendInVlan(target, frame, vid))
            ingress.Counters.AddDrop(DropReason.NoBuffer);
    }

    /// <summary>As on a wire: a frame may exceed an Ethernet egress's MTU by the Ethernet header and one VLAN tag.</summary>
    private static bool Fits(int length, Port egress, Port ingress)
    {
        if (length <= egress.Mtu + (egress.IsEthernet ? WiredLinkHeader : 0))
            return true;
        ingress.Counters.AddDrop(DropReason.TooBig);
        return false;
    }

    /// <summary>Forgets addresses past their ageing time, once per switch (seen through its member 0), freeing their ports' share of the limit.</summary>
    private static void SweepSwitches(RouteSnapshot routes)
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var port in routes.Ports)
            if (port.Switch is { Member: 0 } first)
                first.Switch.Table.Sweep(now);
    }

    private static Port? MemberPort(L2Switch l2, int member, RouteSnapshot routes)
    {
        var port = l2.MemberPorts[member];
        // A member a reload is removing has nothing behind it until the table without it comes.
        return (uint)port < (uint)routes.Ports.Length && !routes.Ports[port].IsRetired ? routes.Ports[port] : null;
    }

    private static bool Dropped(Port ingress, DropReason reason)
    {
        ingress.Counters.AddDrop(reason);
        return false;
    }
}
