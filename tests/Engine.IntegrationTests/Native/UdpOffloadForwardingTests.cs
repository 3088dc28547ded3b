using System.Net;
using System.Net.Sockets;
using Engine.Actors.Offload;
using Engine.Actors.Wire;
using Engine.IntegrationTests.Infrastructure;
using Engine.Native.Namespaces;
using Engine.Native.Tun;
using PacketDotNet;
using PacketDotNet.Utils;
using Xunit;

namespace Engine.IntegrationTests.Native;

/// <summary>
/// The kernel as the judge of the UDP coalescer: a UDP_L4 super-frame it made is written into
/// a tun with USO. Forwarded to a second tun without offloads, the kernel cuts it from our
/// length field and partial checksum alone, so every datagram coming out with a valid checksum
/// proves both are what the kernel expects; delivered to a local socket, every datagram
/// arrives on its own with its payload.
/// </summary>
public sealed class UdpOffloadForwardingTests
{
    private const TunOffloads Uso = TunOffloads.Checksum | TunOffloads.Tso4 | TunOffloads.Tso6 | TunOffloads.Uso4 | TunOffloads.Uso6;
    private const int DatagramSize = 1000;
    private const int LastSize = 333;
    private const int DatagramCount = 6;
    private const ushort SourcePort = 4500;
    private const ushort DestinationPort = 4501;

    [IntegrationTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_coalesced_udp_super_frame_is_cut_by_the_kernel_into_the_original_datagrams(bool ipv6)
    {
        using var ns = TestNamespace.Create();
        Assert.Equal(0, Shell.InNamespace(ns.Name, "sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 net.ipv6.conf.default.accept_dad=0").ExitCode);
        using var ingress = Configured(ns, "eudp-in", Uso, ipv6 ? "fd99::1" : "10.99.0.1", ipv6 ? 64 : 24);
        using var egress = Configured(ns, "eudp-out", null, ipv6 ? "fd98::1" : "10.98.0.1", ipv6 ? 64 : 24);
        var datagrams = Datagrams(ipv6 ? "fd99::2" : "10.99.0.2", ipv6 ? "fd98::2" : "10.98.0.2");

        WriteCoalesced(ingress, datagrams);

        for (int i = 0; i < DatagramCount; i++)
        {
            IPPacket sent = Parse(datagrams[i]);
            IPPacket received = Parse(ReadUdp(egress, ipv6));
            var udp = (UdpPacket)received.PayloadPacket;
            Assert.True(udp.ValidUdpChecksum, $"datagram {i}: UDP checksum wrong after the kernel cut the super-frame");
            Assert.Equal(((UdpPacket)sent.PayloadPacket).Bytes, udp.Bytes);
            if (received is IPv4Packet v4)
            {
                Assert.Equal(63, v4.TimeToLive);
                Assert.True(v4.ValidIPChecksum);
                Assert.Equal(((IPv4Packet)sent).Id, v4.Id);
            }
            else
            {
                Assert.Equal(63, ((IPv6Packet)received).HopLimit);
            }
        }
    }

    [IntegrationFact]
    public void A_coalesced_udp_super_frame_reaches_a_local_socket_as_the_original_datagrams()
    {
        using var ns = TestNamespace.Create();
        using var tun = Configured(ns, "eudp-loc", Uso, "10.99.0.1", 24);
        using var socket = NetworkNamespace.RunInside(ns.Name, () => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp));
        socket.Bind(new IPEndPoint(IPAddress.Parse("10.99.0.1"), DestinationPort));
        socket.ReceiveTimeout = 5000;
        var datagrams = Datagrams("10.99.0.2", "10.99.0.1");

        WriteCoalesced(tun, datagrams);

        var buffer = new byte[65535];
        for (int i = 0; i < DatagramCount; i++)
        {
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            int n = socket.ReceiveFrom(buffer, ref from);
            Assert.Equal(new IPEndPoint(IPAddress.Parse("10.99.0.2"), SourcePort), from);
            Assert.Equal(((UdpPacket)Parse(datagrams[i]).PayloadPacket).PayloadData, buffer[..n]);
        }
    }

    /// <summary>A tun in <paramref name="ns"/>, with a vnet header and offloads or plain, addressed and up.</summary>
    private static TunDevice Configured(TestNamespace ns, string name, TunOffloads? offloads, string address, int prefixLength)
    {
        var tun = NetworkNamespace.RunInside(ns.Name, () => offloads is { } granted
            ? TunDevice.OpenWithVnetHeader(name, TunMode.Tun, granted)
            : TunDevice.Open(name, TunMode.Tun));
        if (offloads is { } asked)
            Assert.True((tun.Offloads & asked) == asked, $"the kernel did not grant {asked}: {tun.Offloads}");
        using var netlink = NetworkNamespace.OpenRtNetlink(ns.Name);
        netlink.AddAddress(tun.Name, IPAddress.Parse(address), prefixLength);
        netlink.SetLinkUp(tun.Name);
        return tun;
    }

    /// <summary>Datagrams of one flow, the last one shorter, IPv4 IDs running on, built by PacketDotNet.</summary>
    private static List<byte[]> Datagrams(string source, string destination)
    {
        var datagrams = new List<byte[]>();
        for (int i = 0; i < DatagramCount; i++)
        {
            int size = i == DatagramCount - 1 ? LastSize : DatagramSize;
            var udp = new UdpPacket(SourcePort, DestinationPort)
            {
                PayloadData = Enumerable.Range(i * DatagramSize, size).Select(b => (byte)(b * 7 + 3)).ToArray(),
            };
            IPPacket ip = IPAddress.Parse(source).AddressFamily == AddressFamily.InterNetworkV6
                ? new IPv6Packet(IPAddress.Parse(source), IPAddress.Parse(destination)) { HopLimit = 64 }
                : new IPv4Packet(IPAddress.Parse(source), IPAddress.Parse(destination)) { TimeToLive = 64, Id = (ushort)(0x300 + i) };
            ip.PayloadPacket = udp;
            ip.UpdateCalculatedValues();
            IPPacket parsed = Parse(ip.Bytes);
            ((UdpPacket)parsed.PayloadPacket).UpdateUdpChecksum();
            if (parsed is IPv4Packet v4)
                v4.UpdateIPChecksum();
            datagrams.Add(parsed.Bytes);
        }
        return datagrams;
    }

    private static IPPacket Parse(byte[] packet) =>
        packet[0] >> 4 == 6
            ? new IPv6Packet(new ByteArraySegment(packet))
            : new IPv4Packet(new ByteArraySegment(packet));

    private static void WriteCoalesced(TunDevice ingress, List<byte[]> datagrams)
    {
        var frame = TunFrames.WriteMerged(new UdpCoalescer(), ingress, datagrams);
        Assert.Equal(DatagramCount, datagrams.Count);
        Assert.Equal(VirtioGsoType.UdpL4, (VirtioGsoType)frame[VirtioNetHeader.Field.GsoType]);
    }

    /// <summary>Polls until a UDP packet for the egress side arrives; other packets (IPv6 chatter) are skipped.</summary>
    private static byte[] ReadUdp(TunDevice tun, bool ipv6) =>
        TunFrames.ReadUntil(tun, packet => ipv6
            ? packet.Length > 48 && packet[0] >> 4 == 6 && packet[6] == 17 && packet[24] == 0xFD && packet[25] == 0x98
            : packet.Length > 28 && packet[0] == 0x45 && packet[9] == 17 && packet[16] == 10 && packet[17] == 98,
            "no forwarded UDP packet arrived");
}
