using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Routing;

namespace Engine.Actors.Router;

/// <summary>
/// The control-plane namespace's interfaces: each mirrors a routed port, so that a routing
/// daemon there is the router on that port's link. What the router itself is sent on the port
/// (<see cref="ControlPlaneTraffic"/>) goes to the mirror unchanged, or a copy of it for ARP and
/// ND, which the engine answers as well; what the daemon writes on the mirror leaves through the
/// port as it is: no lookup, no TTL change, as on a wire. A lab without a control plane pays one
/// test per frame.
/// </summary>
internal sealed partial class Forwarder
{
    /// <summary>Sends frame <paramref name="index"/> from routed port <paramref name="ingress"/> to its mirror, or a copy of it: null when the router goes on with the frame.</summary>
    private bool? ToControlPlane(FrameBatch batch, int index, Port ingress, RouteSnapshot routes)
    {
        if ((uint)ingress.ControlPlane >= (uint)routes.Ports.Length) return null;
        var mirror = routes.Ports[ingress.ControlPlane];
        // A mirror a reload is removing has nothing behind it: the router answers alone meanwhile.
        if (mirror.IsRetired) return null;
        switch (ControlPlaneTraffic.Classify(batch.Frame(index), ingress, routes))
        {
            case ControlPlaneVerdict.Mirror:
                return CarryTo(batch, index, ingress, mirror, tag: ingress.Index);
            case ControlPlaneVerdict.Both:
                // A host's ARP and ND are finished packets; one that is not is left to the router rather than copied unfinished.
                ref readonly var offload = ref batch.Offload(index);
                if (offload.IsGso || offload.NeedsChecksum) return null;
                if (_egress.For(mirror) is not { } target || !target.TryAppendCopy(batch.Frame(index)))
                    ingress.Counters.AddDrop(DropReason.NoBuffer);
                else
                    target.SetTag(target.Count - 1, ingress.Index);
                return null;
            default:
                return null;
        }
    }

    /// <summary>Frame <paramref name="index"/>, written by the daemon on <paramref name="mirror"/>, leaves through the port it mirrors.</summary>
    private bool FromControlPlane(FrameBatch batch, int index, Port mirror, RouteSnapshot routes) =>
        (uint)mirror.MirrorOf < (uint)routes.Ports.Length && !routes.Ports[mirror.MirrorOf].IsRetired
            ? CarryTo(batch, index, mirror, routes.Ports[mirror.MirrorOf], tag: mirror.Index)
            : Dropped(mirror, DropReason.NoRoute);
}
