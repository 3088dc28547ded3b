using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Routing;

namespace Engine.Actors.Router;

/// <summary>
/// The router's drops for `engine capture drops`: while such a capture runs, each frame is copied
/// before it is routed (routing may rewrite it in place, into an ICMP error say) and, if its
/// ingress counted a drop meanwhile, the copy goes to the capture with that reason. Without such
/// a capture a frame costs one test more.
/// </summary>
internal sealed partial class Forwarder
{
    private byte[] _dropCopy = [];
    private readonly long[] _dropsBefore = new long[DropReasons.Count];

    private bool RouteOneAndCaptureDrops(FrameBatch batch, int index, Port? ingress, RouteSnapshot routes)
    {
        if (ingress is null || _egress.Captures is not { CapturesDrops: true } captures) return RouteOne(batch, index, ingress, routes);
        var frame = batch.Frame(index);
        if (_dropCopy.Length < frame.Length) _dropCopy = new byte[batch.Buffer(index).Length]; // once per capture's first frames
        frame.CopyTo(_dropCopy);
        var length = frame.Length;
        for (var reason = 0; reason < _dropsBefore.Length; reason++) _dropsBefore[reason] = ingress.Counters.Drops((DropReason)reason);

        var routed = RouteOne(batch, index, ingress, routes);

        for (var reason = 0; reason < _dropsBefore.Length; reason++)
            if (ingress.Counters.Drops((DropReason)reason) > _dropsBefore[reason])
            {
                captures.Dropped(_dropCopy.AsSpan(0, length), ingress.IsEthernet || ingress.Switch is not null, (DropReason)reason);
                break;
            }
        return routed;
    }
}
