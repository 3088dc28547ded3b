using System.Diagnostics;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Routing;
using Engine.Actors.Switching;
using Engine.Actors.Wire;

namespace Engine.Actors.Router;

/// <summary>
/// Switched ports: each frame's source is learned on its member, then the frame goes out of the
/// member its destination was learned on, or, for broadcast, multicast and unknown unicast, out
/// of every other member: copies into their egress batches, the frame itself moved to the last.
/// Never back out of the ingress. A flooded frame is finished already: a super-frame or a partial
/// checksum is flooded nowhere yet (counted <c>unsupported</c>).
/// A switch's router interface is a member too: a frame for its MAC, and every broadcast and
/// multicast, goes on to the router (Forwarder.RouterInterface.cs); unknown unicast does not.
/// </summary>
internal sealed partial class Forwarder
{
    /// <summary>Frame <paramref name="index"/> from switch member <paramref name="ingress"/> is switched.</summary>
    private bool SwitchOne(FrameBatch batch, int index, Port ingress, SwitchMembership membership, RouteSnapshot routes)
    {
        var l2 = membership.Switch;
        var action = SwitchDecision.Decide(batch.Frame(index), membership.Member, Stopwatch.GetTimestamp(), l2.Table, l2.Storm, out var member, out var learned);
        if (learned == LearnOutcome.LimitReached)
            ingress.Counters.AddMacLimit();
        switch (action)
        {
            case SwitchAction.Forward:
                if (MemberPort(l2, member, routes) is not { } egress)
                    return Dropped(ingress, DropReason.PortDown);
                return egress.IsRouterInterface
                    ? ToRouter(batch, index, egress, routes)
                    : CarryTo(batch, index, ingress, egress, tag: -1);
            // The router's own address is known before anything is learned from it.
            case SwitchAction.Flood when RouterFacing(membership, routes) is { } router && MacAddress.FromSpan(batch.Frame(index)) == router.Mac:
                return ToRouter(batch, index, router, routes);
            case SwitchAction.Flood:
                return Flood(batch, index, ingress, membership, routes);
            case SwitchAction.Storm:
                return Dropped(ingress, DropReason.Storm);
            case SwitchAction.Filter:
                return Dropped(ingress, DropReason.Filtered);
            default:
                return Dropped(ingress, DropReason.Malformed);
        }
    }

    private bool Flood(FrameBatch batch, int index, Port ingress, SwitchMembership membership, RouteSnapshot routes)
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
        var router = MacAddress.FromSpan(frame).IsMulticast ? RouterFacing(membership, routes) : null;
        Port? previous = null;
        for (var m = 0; m < l2.MemberPorts.Length; m++)
        {
            if (m == membership.Member || m == l2.RouterMember || MemberPort(l2, m, routes) is not { } egress || !Fits(frame, egress, ingress))
                continue;
            // Each member but the last gets a copy; the last gets the frame itself, unless the router takes it.
            if (previous is not null) Copy(frame, previous, ingress);
            previous = egress;
        }
        if (router is null)
            return previous is not null && MoveOut(_egress, batch, index, previous, ingress, tag: -1);
        if (previous is not null) Copy(frame, previous, ingress);
        return ToRouter(batch, index, router, routes);
    }

    private void Copy(ReadOnlySpan<byte> frame, Port egress, Port ingress)
    {
        if (_egress.For(egress) is not { } target || !target.TryAppendCopy(frame))
            ingress.Counters.AddDrop(DropReason.NoBuffer);
    }

    /// <summary>As on a wire: a frame may exceed an Ethernet egress's MTU by the Ethernet header and one VLAN tag.</summary>
    private static bool Fits(ReadOnlySpan<byte> frame, Port egress, Port ingress)
    {
        if (frame.Length <= egress.Mtu + (egress.IsEthernet ? WiredLinkHeader : 0))
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
        return (uint)port < (uint)routes.Ports.Length ? routes.Ports[port] : null;
    }

    private static bool Dropped(Port ingress, DropReason reason)
    {
        ingress.Counters.AddDrop(reason);
        return false;
    }
}
