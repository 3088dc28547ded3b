using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Routing;
using Engine.Actors.Wire;

namespace Engine.Actors.Router;

/// <summary>
/// A switch's router interface: a member of its switch and an Ethernet port of the router, with
/// no device behind it. A frame the switch sends it is routed at once, as if it came in on that
/// port (ARP and ND answered, then the IP lookup); a frame the router sends out of it (routed,
/// an answer, an ICMP error, an ARP request or neighbour solicitation) is switched from it when
/// the router's egress batches are flushed. Both in the same pass, with no actor between.
/// </summary>
internal sealed partial class Forwarder
{
    // The snapshot of the pass under way, for the router interfaces' frames switched at flush.
    private RouteSnapshot _routes = RouteSnapshot.Empty;

    /// <summary>Frame <paramref name="index"/>, switched to <paramref name="router"/>, enters the router there.</summary>
    private bool ToRouter(FrameBatch batch, int index, Port router, RouteSnapshot routes)
    {
        router.Counters.AddRx(1, batch.Frame(index).Length);
        return RouteFrame(batch, index, router, routes);
    }

    /// <summary>
    /// A switched frame goes on to the router interface untagged (<paramref name="vid"/> 0), the
    /// form of its VLAN there; a frame of a VLAN the interface is not in is counted <c>vlan</c>.
    /// </summary>
    private bool ToRouterInVlan(FrameBatch batch, int index, Port ingress, Port router, int vid, RouteSnapshot routes)
    {
        if (vid != 0)
            return Dropped(ingress, DropReason.Vlan);
        // A super-frame or partial checksum reaches the router as from a tap: its layout counts behind a 14-byte header.
        if (VlanTag.IsTagged(batch.Frame(index)) && (batch.Offload(index).IsGso || batch.Offload(index).NeedsChecksum))
            return Dropped(ingress, DropReason.Unsupported);
        return TryRetag(batch, index, 0) ? ToRouter(batch, index, router, routes) : Dropped(ingress, DropReason.Unsupported);
    }

    /// <summary>
    /// The router interface of <paramref name="membership"/>'s switch when frames of
    /// <paramref name="vlan"/> reach it, unless the frame came from it or the switch has none.
    /// </summary>
    private static Port? RouterFacing(Switching.SwitchMembership membership, int vlan, RouteSnapshot routes)
    {
        var l2 = membership.Switch;
        if (!l2.HasRouter || membership.Member == l2.RouterMember || l2.Vlans.EgressTag(l2.RouterMember, vlan) != 0) return null;
        return MemberPort(l2, l2.RouterMember, routes);
    }

    /// <summary>The frames the router sent out of <paramref name="routerInterface"/> leave through its switch.</summary>
    public void SwitchOut(Port routerInterface, FrameBatch batch)
    {
        if (routerInterface.Switch is not { } membership) return;
        long bytes = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            bytes += batch.Frame(i).Length;
            try
            {
                SwitchOne(batch, i, routerInterface, membership, _routes);
            }
            catch (Exception fault)
            {
                _faults.Record(fault, routerInterface.Counters, routerInterface.Name);
            }
        }
        routerInterface.Counters.AddTx(batch.Count, bytes);
    }
}
