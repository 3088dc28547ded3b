using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using PacketDotNet;
using PacketDotNet.Ndp;
using PacketDotNet.Utils;
using Xunit;
using InternetChecksum = Engine.Actors.Wire.InternetChecksum;

namespace Engine.Tests.Wire;

/// <summary>Real Ethernet frames (ARP, neighbour discovery) built with PacketDotNet, as independent input for the L2 views.</summary>
internal static class Frames
{
    public const string HostMac = "02:aa:bb:cc:dd:01";
    public const string RouterMac = "02:00:00:00:00:fe";

    public static byte[] Arp(
        ArpOperation operation, string senderMac, string senderIp, string targetMac, string targetIp,
        string destinationMac = "ff:ff:ff:ff:ff:ff")
    {
        var arp = new PacketDotNet.ArpPacket(
            operation, PhysicalAddress.Parse(targetMac), IPAddress.Parse(targetIp),
            PhysicalAddress.Parse(senderMac), IPAddress.Parse(senderIp));
        var ethernet = new EthernetPacket(PhysicalAddress.Parse(senderMac), PhysicalAddress.Parse(destinationMac), EthernetType.Arp)
        {
            PayloadPacket = arp,
        };
        return ethernet.Bytes;
    }

    /// <summary>
    /// A Neighbor Solicitation in an Ethernet frame. The ICMPv6 message is laid out through
    /// PacketDotNet's NDP classes over a raw array and carried as IPv6 payload data, since an
    /// ICMPv6 packet with an NDP payload packet does not reassemble into one contiguous message.
    /// </summary>
    public static byte[] Solicitation(
        string sourceIp, string destinationIp, string target, string? sourceLinkLayer,
        byte hopLimit = 255, string sourceMac = HostMac, string? destinationMac = null)
    {
        var message = new byte[24 + (sourceLinkLayer is null ? 0 : 8)];
        var icmp = new IcmpV6Packet(new ByteArraySegment(message)) { Type = IcmpV6Type.NeighborSolicitation, Code = 0 };
        var ns = Assert.IsType<NdpNeighborSolicitationPacket>(icmp.PayloadPacket);
        ns.TargetAddress = IPAddress.Parse(target);
        if (sourceLinkLayer is not null)
            ns.OptionsCollection = [LinkLayerOption(OptionTypes.SourceLinkLayerAddress, sourceLinkLayer)];
        return InFrame(sourceMac, destinationMac ?? MulticastMac(destinationIp), sourceIp, destinationIp, hopLimit, message);
    }

    /// <summary>A Neighbor Advertisement in an Ethernet frame, laid out like <see cref="Solicitation"/>.</summary>
    public static byte[] Advertisement(
        string sourceIp, string destinationIp, string target, string? targetLinkLayer,
        bool router, bool solicited, bool @override, byte hopLimit = 255,
        string sourceMac = HostMac, string destinationMac = RouterMac)
    {
        var message = new byte[24 + (targetLinkLayer is null ? 0 : 8)];
        var icmp = new IcmpV6Packet(new ByteArraySegment(message)) { Type = IcmpV6Type.NeighborAdvertisement, Code = 0 };
        var na = Assert.IsType<NdpNeighborAdvertisementPacket>(icmp.PayloadPacket);
        na.TargetAddress = IPAddress.Parse(target);
        na.Router = router;
        na.Solicited = solicited;
        na.Override = @override;
        if (targetLinkLayer is not null)
            na.OptionsCollection = [LinkLayerOption(OptionTypes.TargetLinkLayerAddress, targetLinkLayer)];
        return InFrame(sourceMac, destinationMac, sourceIp, destinationIp, hopLimit, message);
    }

    /// <summary>
    /// Wraps an ICMPv6 message (checksum left to fill) in IPv6 and Ethernet headers, then
    /// fills the checksum by PacketDotNet on a frame parsed back from exactly its bytes
    /// (its ICMPv6 checksum of a freshly assembled packet is wrong, see <see cref="Packets"/>).
    /// The checksum lands in that array; the parsed packets' Bytes would reassemble the
    /// ICMPv6 header twice (once for ICMPv6, once for the NDP packet that spans it too).
    /// </summary>
    public static byte[] InFrame(string sourceMac, string destinationMac, string sourceIp, string destinationIp, byte hopLimit, byte[] message)
    {
        var ip = new IPv6Packet(IPAddress.Parse(sourceIp), IPAddress.Parse(destinationIp))
        {
            PayloadData = message,
            NextHeader = ProtocolType.IcmpV6,
            HopLimit = hopLimit,
        };
        // UpdateCalculatedValues leaves the payload length at 0 for raw payload data.
        ip.PayloadLength = (ushort)message.Length;
        var ethernet = new EthernetPacket(PhysicalAddress.Parse(sourceMac), PhysicalAddress.Parse(destinationMac), EthernetType.IPv6)
        {
            PayloadPacket = ip,
        };
        byte[] frame = ethernet.Bytes;
        ParseNdp(frame).Icmp.UpdateIcmpChecksum();
        return frame;
    }

    /// <summary>An IPv4 packet behind an Ethernet header, as a tap carries it.</summary>
    public static byte[] Ipv4InEthernet(string destinationMac, string sourceMac, byte[] packet) =>
        new EthernetPacket(PhysicalAddress.Parse(sourceMac), PhysicalAddress.Parse(destinationMac), EthernetType.IPv4) { PayloadData = packet }.Bytes;

    /// <summary>PacketDotNet's reading of a frame that carries ICMPv6 right after the IPv6 header.</summary>
    public static (EthernetPacket Ethernet, IPv6Packet Ip, IcmpV6Packet Icmp) ParseNdp(byte[] frame)
    {
        var ethernet = new EthernetPacket(new ByteArraySegment(frame));
        var ip = Assert.IsType<IPv6Packet>(ethernet.PayloadPacket);
        return (ethernet, ip, Assert.IsType<IcmpV6Packet>(ip.PayloadPacket));
    }

    public static NdpLinkLayerAddressOption LinkLayerOption(OptionTypes type, string mac) =>
        new(new byte[8], 0, 8) { Type = type, Length = 1, LinkLayerAddress = PhysicalAddress.Parse(mac) };

    /// <summary>The Ethernet group of an IPv6 multicast address, or the router's MAC for a unicast one.</summary>
    public static string MulticastMac(string ip)
    {
        byte[] a = IPAddress.Parse(ip).GetAddressBytes();
        return a[0] == 0xFF ? $"33:33:{a[12]:x2}:{a[13]:x2}:{a[14]:x2}:{a[15]:x2}" : RouterMac;
    }

    /// <summary>Our own check of the ICMPv6 checksum of an Ethernet + IPv6 + ICMPv6 frame, pseudo-header included.</summary>
    public static bool IcmpV6ChecksumValid(ReadOnlySpan<byte> frame)
    {
        ReadOnlySpan<byte> ip = frame[14..];
        int messageLength = BinaryPrimitives.ReadUInt16BigEndian(ip[4..]);
        uint pseudo = InternetChecksum.PseudoHeaderV6(ip.Slice(8, 16), ip.Slice(24, 16), (uint)messageLength, 58);
        return InternetChecksum.IsValid(ip.Slice(40, messageLength), pseudo);
    }

    /// <summary>
    /// Recomputes the ICMPv6 checksum after a test changed a frame on purpose, so the change
    /// under test, not a stale checksum, is what a parser has to notice.
    /// </summary>
    public static void RefillIcmpV6Checksum(Span<byte> frame)
    {
        Span<byte> ip = frame[14..];
        int messageLength = BinaryPrimitives.ReadUInt16BigEndian(ip[4..]);
        Span<byte> message = ip.Slice(40, messageLength);
        message[2] = 0;
        message[3] = 0;
        uint pseudo = InternetChecksum.PseudoHeaderV6(ip.Slice(8, 16), ip.Slice(24, 16), (uint)messageLength, 58);
        ushort checksum = InternetChecksum.Finish(InternetChecksum.Sum(message, pseudo));
        BinaryPrimitives.WriteUInt16BigEndian(message[2..], checksum);
    }
}
