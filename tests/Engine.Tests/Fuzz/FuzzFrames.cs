using System.Buffers.Binary;
using Engine.Actors.Wire;
using Engine.Tests.Offload;
using Engine.Tests.Wire;
using PacketDotNet;
using ArpOperation = PacketDotNet.ArpOperation;

namespace Engine.Tests.Fuzz;

/// <summary>
/// The valid frames the fuzz targets start from, built with PacketDotNet (independent of the
/// code under test), each with the virtio-net header a device with offloads would put in front
/// of it. Addresses follow <see cref="ForwardingRig"/>'s ports: 10.0.N.0/24 and fd00:N::/64 are
/// port N-1's, .254 and ::fe the engine's own there.
/// </summary>
internal static class FuzzFrames
{
    public sealed record Template(byte[] Packet, byte[] Header);

    /// <summary>IP packets: every way through the router (each egress, local, no route, TTL, MTU) and super-frames.</summary>
    public static readonly Template[] Ip = BuildIp();

    /// <summary>Ethernet frames for a tap: the IP packets above from hosts on it, ARP, neighbour discovery, and what a router ignores.</summary>
    public static readonly byte[][] Ethernet = BuildEthernet();

    private static Template[] BuildIp()
    {
        var plain = new List<byte[]>
        {
            Packets.Ipv4Udp("10.0.1.5", "10.0.2.5", 32),
            Packets.Ipv4Udp("10.0.2.5", "10.0.1.5", 16),
            Packets.Ipv4Udp("10.0.1.5", "10.0.3.5", 24),
            Packets.Ipv4Udp("10.0.1.5", "10.0.3.6", 24), // a tap host nobody introduced: held for ARP
            Packets.Ipv4Udp("10.0.1.5", "10.0.4.5", 40),
            Packets.Ipv4Udp("10.0.1.5", "10.0.5.5", 8),
            Packets.Ipv4Udp("10.0.1.5", "10.0.6.5", 8),
            Packets.Ipv4Udp("10.0.1.5", "10.0.2.5", 20, ttl: 1),
            Packets.Ipv4Udp("10.0.1.5", "10.0.4.5", 1300), // fragmented for the 1280 MTU
            Packets.Ipv4Udp("10.0.1.5", "10.0.4.5", 1300, dontFragment: true), // too big
            Packets.Ipv4Udp("10.0.1.5", "10.0.3.5", 1490), // fragmented for the tap
            Packets.Ipv4Udp("10.0.1.5", "192.168.9.9", 8), // no route
            Packets.Ipv4Udp("10.0.1.5", "224.0.0.9", 8),
            Packets.Ipv4Icmp("10.0.1.5", "10.0.1.254", IcmpV4TypeCode.EchoRequest),
            Packets.Ipv4Icmp("10.0.1.5", "10.0.4.5", IcmpV4TypeCode.EchoRequest),
            Packets.Ipv4Icmp("10.0.1.5", "10.0.2.5", IcmpV4TypeCode.UnreachablePort),
            new TcpSpec { Source = "10.0.1.5", Destination = "10.0.2.5", Payload = Packets.Pattern(40) }.Build(),
            new TcpSpec { Source = "10.0.1.5", Destination = "10.0.3.5", Payload = Packets.Pattern(10), IpOptions = [1, 1, 1, 0] }.Build(),
            Packets.Ipv6Udp("fd00:1::5", "fd00:2::5", 32),
            Packets.Ipv6Udp("fd00:1::5", "fd00:3::5", 16),
            Packets.Ipv6Udp("fd00:1::5", "fd00:4::5", 1300), // packet too big
            Packets.Ipv6Udp("fd00:1::5", "fd00:99::1", 8), // no route
            Packets.Ipv6Udp("fd00:1::5", "fd00:2::5", 8, hopLimit: 1),
            Packets.Ipv6Icmp("fd00:1::5", "fd00:1::fe", IcmpV6Type.EchoRequest),
            Packets.Ipv6Icmp("fd00:1::5", "fd00:6::5", IcmpV6Type.EchoRequest),
            new TcpSpec { Source = "fd00:1::5", Destination = "fd00:5::5", Payload = Packets.Pattern(20) }.Build(),
        };
        var templates = plain.Select(p => new Template(p, new byte[VirtioNetHeader.Length])).ToList();

        // Partial checksums, as a local sender's kernel hands them to a tun with offloads.
        foreach (var (packet, protocol) in new[]
        {
            (new TcpSpec { Source = "10.0.1.5", Destination = "10.0.1.6", Payload = Packets.Pattern(60) }.Build(), (byte)6),
            (new TcpSpec { Source = "10.0.1.5", Destination = "10.0.2.5", Payload = Packets.Pattern(60) }.Build(), (byte)6),
            (new TcpSpec { Source = "fd00:1::5", Destination = "fd00:3::5", Payload = Packets.Pattern(30) }.Build(), (byte)6),
            (Packets.Ipv4Udp("10.0.1.5", "10.0.4.5", 1300), (byte)17), // completed, then fragmented
            (Packets.Ipv4Udp("10.0.1.5", "10.0.3.5", 40), (byte)17),
        })
        {
            var (pending, at) = Reference.WithPendingChecksum(packet, protocol);
            var header = new byte[VirtioNetHeader.Length];
            VirtioNetHeader.Write(header, VirtioNetFlags.NeedsChecksum, VirtioGsoType.None, 0, 0, (ushort)at!.Value.Start, (ushort)at.Value.Offset);
            templates.Add(new Template(pending, header));
        }

        // Super-frames to ports that take them whole, to ones that need them cut, and to smaller MTUs.
        foreach (var (source, destination) in new[]
        {
            ("10.0.1.5", "10.0.2.5"), ("10.0.1.5", "10.0.1.6"), ("10.0.1.5", "10.0.3.5"), ("10.0.1.5", "10.0.4.5"),
            ("10.0.1.5", "10.0.6.5"), ("fd00:1::5", "fd00:3::5"), ("fd00:1::5", "fd00:2::5"), ("fd00:1::5", "fd00:4::5"),
        })
        {
            var spec = new TcpSpec { Source = source, Destination = destination, Payload = Packets.Pattern(2000), DontFragment = destination != "10.0.4.5" };
            var type = spec.IsIpv6 ? VirtioGsoType.TcpV6 : VirtioGsoType.TcpV4;
            templates.Add(Split(Reference.SuperFrame(spec.Build(), type, spec.IsIpv6 ? 1200 : 1000, 6)));
        }
        foreach (var destination in new[] { "10.0.4.5", "10.0.1.6", "10.0.2.5" })
        {
            var spec = new UdpSpec { Source = "10.0.1.5", Destination = destination, Payload = Packets.Pattern(1500) };
            templates.Add(Split(Reference.SuperFrame(spec.Build(), VirtioGsoType.UdpL4, 500, 17)));
        }
        return [.. templates];
    }

    private static Template Split(byte[] frameWithHeader) =>
        new(frameWithHeader[VirtioNetHeader.Length..], frameWithHeader[..VirtioNetHeader.Length]);

    private static byte[][] BuildEthernet()
    {
        const string other = "02:aa:bb:cc:dd:02";
        var fromHosts = new[]
        {
            Packets.Ipv4Udp("10.0.3.5", "10.0.1.5", 32),
            Packets.Ipv4Udp("10.0.3.5", "10.0.3.6", 16),
            Packets.Ipv4Udp("10.0.3.7", "10.0.4.5", 1300),
            Packets.Ipv4Icmp("10.0.3.5", "10.0.3.254", IcmpV4TypeCode.EchoRequest),
            Packets.Ipv4Udp("10.0.3.5", "192.168.9.9", 8),
            Packets.Ipv6Udp("fd00:3::5", "fd00:1::5", 24),
            Packets.Ipv6Icmp("fd00:3::5", "fd00:3::fe", IcmpV6Type.EchoRequest),
        };
        var frames = fromHosts.Select(p => InEthernet(Frames.RouterMac, p)).ToList();
        frames.Add(InEthernet("ff:ff:ff:ff:ff:ff", fromHosts[0]));
        frames.Add(InEthernet(other, fromHosts[0])); // for another host: not ours to route
        frames.AddRange(
        [
            Frames.Arp(ArpOperation.Request, Frames.HostMac, "10.0.3.5", "00:00:00:00:00:00", "10.0.3.254"),
            Frames.Arp(ArpOperation.Response, other, "10.0.3.6", Frames.RouterMac, "10.0.3.254", Frames.RouterMac),
            Frames.Arp(ArpOperation.Request, Frames.HostMac, "10.0.3.5", "00:00:00:00:00:00", "10.0.3.9"),
            Frames.Solicitation("fd00:3::5", "ff02::1:ff00:fe", "fd00:3::fe", Frames.HostMac),
            Frames.Solicitation("::", "ff02::1:ff00:fe", "fd00:3::fe", null),
            Frames.Solicitation("fd00:3::5", "ff02::1:ff00:9", "fd00:3::9", Frames.HostMac),
            Frames.Advertisement("fd00:3::6", "fd00:3::fe", "fd00:3::6", other, router: false, solicited: true, @override: true),
        ]);
        var vlan = InEthernet(Frames.RouterMac, fromHosts[0]);
        vlan[12] = 0x81;
        vlan[13] = 0x00;
        frames.Add(vlan);
        return [.. frames];
    }

    /// <summary>A tun's virtio-net header as a tap's: a partial checksum's start counts the Ethernet header too.</summary>
    public static byte[] OnTap(byte[] header)
    {
        var copy = header.ToArray();
        if ((copy[VirtioNetHeader.Field.Flags] & (byte)VirtioNetFlags.NeedsChecksum) != 0)
        {
            var start = BinaryPrimitives.ReadUInt16LittleEndian(copy.AsSpan(VirtioNetHeader.Field.ChecksumStart));
            BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(VirtioNetHeader.Field.ChecksumStart), (ushort)(start + EthernetFrame.HeaderLength));
        }
        return copy;
    }

    public static byte[] InEthernet(string destinationMac, byte[] packet)
    {
        var frame = new byte[EthernetFrame.HeaderLength + packet.Length];
        var type = packet[0] >> 4 == 6 ? EtherType.Ipv6 : EtherType.Ipv4;
        EthernetFrame.WriteHeader(frame, MacAddress.Parse(destinationMac), MacAddress.Parse(Frames.HostMac), type);
        packet.CopyTo(frame, EthernetFrame.HeaderLength);
        return frame;
    }
}
