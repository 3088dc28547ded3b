using System.Net;
using Engine.Actors.Wire;

namespace Engine.Tests.Wire;

/// <summary>Hand-built neighbour discovery messages and the path from a frame to our views.</summary>
internal static class NdpMessages
{
    /// <summary>Type, code 0, checksum and flags zero, the target, then the given options as they are.</summary>
    public static byte[] Message(byte type, string target, params byte[][] options)
    {
        byte[] message = [type, 0, 0, 0, 0, 0, 0, 0, .. IPAddress.Parse(target).GetAddressBytes()];
        foreach (byte[] option in options)
            message = [.. message, .. option];
        return message;
    }

    public static byte[] LinkLayerOption(byte type, string mac)
    {
        var option = new byte[8];
        option[0] = type;
        option[1] = 1;
        MacAddress.Parse(mac).WriteTo(option.AsSpan(2));
        return option;
    }

    public static bool TryParseSolicitation(byte[] frame, out NeighborSolicitation solicitation)
    {
        solicitation = default;
        return EthernetFrame.TryParse(frame, out var ethernet)
            && ethernet.EtherType == EtherType.Ipv6
            && Ipv6Packet.TryParse(ethernet.Payload, out var ip)
            && NeighborSolicitation.TryParse(ip, out solicitation);
    }

    public static bool TryParseAdvertisement(byte[] frame, out NeighborAdvertisement advertisement)
    {
        advertisement = default;
        return EthernetFrame.TryParse(frame, out var ethernet)
            && ethernet.EtherType == EtherType.Ipv6
            && Ipv6Packet.TryParse(ethernet.Payload, out var ip)
            && NeighborAdvertisement.TryParse(ip, out advertisement);
    }

    /// <summary>The ICMPv6 message inside an Ethernet + IPv6 frame, to change on purpose.</summary>
    public static Span<byte> MessageOf(byte[] frame) => frame.AsSpan(14 + 40);
}
