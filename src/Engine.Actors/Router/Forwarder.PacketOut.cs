using System.Buffers.Binary;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Routing;
using Engine.Actors.Wire;

namespace Engine.Actors.Router;

/// <summary>
/// What a controller sends out of a port. A DATA tagged with a port carries an IP packet, which
/// leaves unrouted, with no TTL change, framed for a tap by the usual neighbour resolution. An
/// INJECT carries the frame exactly as the port sends it: an IP packet of any protocol for a
/// tun or an IP link, a whole Ethernet frame of any EtherType for a tap or an Ethernet link.
/// A frame that does not fit its port is counted on the controller's link and answered there
/// with a REFUSED that says why, in the frame's own buffer.
/// </summary>
internal sealed partial class Forwarder
{
    private bool PacketOut(FrameBatch batch, int index, Port controller, RouteSnapshot routes)
    {
        var tag = batch.Tag(index);
        var inject = batch.Note(index) == ControllerNote.Inject;
        var frame = batch.Frame(index);
        var reply = new ReasonText(RefusalSpace(batch, index));
        if (tag < 0)
            return Refused(batch, index, controller, tag, DropReason.NoRoute,
                reply.Add("INJECT names no port: send the port number in the header's port field"));
        if (tag >= routes.Ports.Length || tag == controller.Index)
            return Refused(batch, index, controller, tag, DropReason.NoRoute, reply.Add("no port ").Add(tag)
                .Add(" to send out of (ports are 0 to ").Add(routes.Ports.Length - 1).Add(", this link is ").Add(controller.Index).Add(")"));
        var egress = routes.Ports[tag];
        if (!inject || !EgressTakesEthernet(egress, routes))
        {
            if (!IsWholeIpPacket(frame))
            {
                var what = LooksLikeEthernetWithIp(frame) ? "an Ethernet frame, not an IP packet" : "not an IP packet";
                var takes = inject ? "takes IP packets" : "takes IP packets in DATA (INJECT sends a whole Ethernet frame to a tap)";
                return Refused(batch, index, controller, tag, DropReason.Malformed,
                    reply.Add(frame.Length).Add("-byte frame is ").Add(what).Add(": port ").Add(tag).Add(" (").Add(egress.Name).Add(") ").Add(takes));
            }
            if (frame.Length > egress.Mtu)
                return Refused(batch, index, controller, tag, DropReason.TooBig, reply.Add(frame.Length).Add("-byte packet is larger than port ")
                    .Add(tag).Add(" (").Add(egress.Name).Add(")'s MTU of ").Add(egress.Mtu));
            if (!inject) return Deliver(batch, index, egress, controller, framed: false);
        }
        else if (EthernetProblem(frame) is { } problem)
        {
            return Refused(batch, index, controller, tag, DropReason.Malformed, reply.Add(frame.Length).Add("-byte frame is ").Add(problem)
                .Add(": port ").Add(tag).Add(" (").Add(egress.Name).Add(") takes Ethernet frames"));
        }
        else if (EthernetHeaderLength(frame) is var header && frame.Length > egress.Mtu + header)
        {
            return Refused(batch, index, controller, tag, DropReason.TooBig, reply.Add(frame.Length).Add("-byte frame is larger than port ")
                .Add(tag).Add(" (").Add(egress.Name).Add(")'s MTU of ").Add(egress.Mtu).Add(" plus its ").Add(header).Add("-byte Ethernet header"));
        }
        if (egress.Wires is { IsTagged: true, Ends.Count: > 1 } wires)
            return Refused(batch, index, controller, tag, DropReason.NoRoute, reply.Add("port ").Add(tag).Add(" (").Add(egress.Name)
                .Add(") carries ").Add(wires.Ends.Count).Add(" wires, and an INJECT cannot say which"));
        // A link's one wire is tag 0 there; a device ignores the tag.
        return MoveOut(_egress, batch, index, egress, controller, egress.Wires is { IsTagged: true } ? 0 : -1);
    }

    /// <summary>Where a refusal's reason is written: over the refused frame, so nothing of the frame may be read once writing starts.</summary>
    private static Span<byte> RefusalSpace(FrameBatch batch, int index) =>
        batch.Buffer(index).AsSpan(FrameBatch.Headroom, Math.Min(MaxRefusalLength, batch.Buffer(index).Length - FrameBatch.Headroom));

    private const int MaxRefusalLength = 240;

    /// <summary>Counts the refused frame and turns it into the REFUSED answer <paramref name="text"/> wrote, back to the controller.</summary>
    private bool Refused(FrameBatch batch, int index, Port controller, int port, DropReason reason, ReasonText text)
    {
        controller.Counters.AddDrop(reason);
        batch.Rewrite(index, FrameBatch.Headroom, text.Length);
        MoveOut(_egress, batch, index, controller, controller, port < 0 ? ushort.MaxValue : port, ControllerNote.Refused);
        return false;
    }

    /// <summary>Whether what leaves <paramref name="port"/> carries an Ethernet header: a tap, a switch member, a link wired to a tap.</summary>
    private static bool EgressTakesEthernet(Port port, RouteSnapshot routes) => CarriesEthernet(port, 0, routes);

    private static bool IsWholeIpPacket(ReadOnlySpan<byte> frame) => (frame.IsEmpty ? 0 : frame[0] >> 4) switch
    {
        4 => Ipv4Packet.TryGetTotalLength(frame, out var v4) && v4 == frame.Length,
        6 => Ipv6Packet.TryGetTotalLength(frame, out var v6) && v6 == frame.Length,
        _ => false,
    };

    private static bool LooksLikeEthernetWithIp(ReadOnlySpan<byte> frame) =>
        frame.Length > EthernetFrame.HeaderLength
        && BinaryPrimitives.ReadUInt16BigEndian(frame[EthernetFrame.Field.EtherType..]) is EtherType.Ipv4 or EtherType.Ipv6
        && IsWholeIpPacket(frame[EthernetFrame.HeaderLength..]);

    /// <summary>Why <paramref name="frame"/> cannot be an Ethernet frame, or null.</summary>
    private static string? EthernetProblem(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < EthernetFrame.HeaderLength)
            return "shorter than an Ethernet header";
        if (IsWholeIpPacket(frame))
            return "an IP packet without an Ethernet header";
        var type = BinaryPrimitives.ReadUInt16BigEndian(frame[EthernetFrame.Field.EtherType..]);
        if (type is > 1500 and < 0x0600)
            return "neither an EtherType nor an 802.3 length in its type field";
        if (type <= 1500 && type > frame.Length - EthernetFrame.HeaderLength)
            return "shorter than the 802.3 length in its header";
        return null;
    }

    /// <summary>The Ethernet header's length, with one 802.1Q tag when the frame has one.</summary>
    private static int EthernetHeaderLength(ReadOnlySpan<byte> frame) =>
        BinaryPrimitives.ReadUInt16BigEndian(frame[EthernetFrame.Field.EtherType..]) is EtherType.Vlan or EtherType.ServiceVlan
            ? WiredLinkHeader
            : EthernetFrame.HeaderLength;
}
