using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Routing;
using Engine.Actors.Wire;

namespace Engine.Actors.Router;

internal sealed partial class Forwarder
{
    /// <summary>
    /// A controller's frame tagged with a port leaves through that port as it is: no lookup, no
    /// TTL change. It must still be an IP packet that fits the port.
    /// </summary>
    private bool PacketOut(FrameBatch batch, int index, Port controller, RouteSnapshot routes)
    {
        var tag = batch.Tag(index);
        var frame = batch.Frame(index);
        if (tag >= routes.Ports.Length || tag == controller.Index)
        {
            controller.Counters.AddDrop(DropReason.NoRoute);
            return false;
        }
        var isIp = frame.Length > 0 && (frame[0] >> 4) switch
        {
            4 => Ipv4Packet.TryParse(frame, out _),
            6 => Ipv6Packet.TryParse(frame, out _),
            _ => false,
        };
        if (!isIp)
        {
            controller.Counters.AddDrop(DropReason.Malformed);
            return false;
        }
        var egress = routes.Ports[tag];
        if (frame.Length > egress.Mtu)
        {
            controller.Counters.AddDrop(DropReason.TooBig);
            return false;
        }
        return Deliver(batch, index, egress, controller, framed: false);
    }
}
