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
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Native;

/// <summary>tun devices with a virtio-net header and offloads, opened inside a test namespace.</summary>
public sealed class TunOffloadTests(ITestOutputHelper output)
{
    private const TunOffloads Tso = TunOffloads.Checksum | TunOffloads.Tso4 | TunOffloads.Tso6;
    private const TunOffloads Uso = TunOffloads.Uso4 | TunOffloads.Uso6;

    [IntegrationFact]
    public void Opens_with_a_vnet_header_and_reports_the_granted_offloads()
    {
        using var ns = TestNamespace.Create();
        using var tun = NetworkNamespace.RunInside(ns.Name, () =>
            TunDevice.OpenWithVnetHeader("eoff0", TunMode.Tun, Tso | TunOffloads.TsoEcn | Uso));
        output.WriteLine($"kernel {Environment.OSVersion.Version}: granted {tun.Offloads}");

        Assert.True(tun.HasVnetHeader);
        Assert.Equal(Tso | TunOffloads.TsoEcn, tun.Offloads & (Tso | TunOffloads.TsoEcn));
        if (Environment.OSVersion.Version >= new Version(6, 2))
            Assert.Equal(Uso, tun.Offloads & Uso);
    }

    [IntegrationFact]
    public void Asking_for_an_offload_the_kernel_lacks_still_opens_with_the_rest()
    {
        using var ns = TestNamespace.Create();
        var unknown = (TunOffloads)(1u << 30);
        using var tun = NetworkNamespace.RunInside(ns.Name, () =>
            TunDevice.OpenWithVnetHeader("eoff1", TunMode.Tun, Tso | unknown));
        output.WriteLine($"granted {tun.Offloads}");

        Assert.Equal(Tso, tun.Offloads);
        Assert.Equal(0, Shell.InNamespace(ns.Name, "ip link show dev eoff1").ExitCode);
    }

    [IntegrationFact]
    public void A_device_opened_without_the_header_reports_none()
    {
        using var ns = TestNamespace.Create();
        using var tun = NetworkNamespace.RunInside(ns.Name, () => TunDevice.Open("eoff2", TunMode.Tun));

        Assert.False(tun.HasVnetHeader);
        Assert.Equal(TunOffloads.None, tun.Offloads);
    }

    [IntegrationFact]
    public void A_plain_packet_read_starts_with_a_header_that_validates()
    {
        using var ns = TestNamespace.Create();
        using var tun = Configured(ns, "eoff3", Tso);

        Shell.InNamespace(ns.Name, "ping -c 1 -W 1 10.99.0.2");
        byte[] frame = TunFrames.ReadUntil(tun, f => f.Length > 30 && f[VirtioNetHeader.Length] == 0x45 && f[VirtioNetHeader.Length + 9] == 1);

        Assert.True(VirtioNetHeader.TryParse(frame, out var header));
        Assert.Equal(VirtioHeaderCheck.Valid, header.Validate(frame.AsSpan(VirtioNetHeader.Length), out var layout));
        Assert.False(layout.IsGso);
    }

    [IntegrationFact]
    public void A_udp_super_frame_from_the_kernel_is_cut_into_datagrams_with_valid_checksums()
    {
        using var ns = TestNamespace.Create();
        using var tun = Configured(ns, "eoff4", Tso | Uso);
        Assert.True((tun.Offloads & Uso) == Uso, $"the kernel did not grant USO: {tun.Offloads}");
        using var socket = NetworkNamespace.RunInside(ns.Name, () => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp));
        const int solUdp = 17, udpSegment = 103;
        socket.SetRawSocketOption(solUdp, udpSegment, BitConverter.GetBytes(1000));
        byte[] data = Enumerable.Range(0, 2500).Select(i => (byte)(i * 7 + 3)).ToArray();

        socket.SendTo(data, new IPEndPoint(IPAddress.Parse("10.99.0.2"), 4000));
        byte[] frame = TunFrames.ReadUntil(tun, f => f.Length > 30 && f[VirtioNetHeader.Field.GsoType] != 0);

        Assert.True(VirtioNetHeader.TryParse(frame, out var header));
        output.WriteLine($"gso_type {header.GsoType}, gso_size {header.GsoSize}, hdr_len {header.HeaderLength}, csum {header.ChecksumStart}+{header.ChecksumOffset}");
        Assert.Equal(VirtioHeaderCheck.Valid, header.Validate(frame.AsSpan(VirtioNetHeader.Length), out var layout));
        Assert.Equal((VirtioGsoType.UdpL4, 1000, 3), (layout.GsoType, layout.GsoSize, layout.SegmentCount));

        var sink = new CollectingSink();
        Assert.Equal(SegmentResult.Done, GsoSegmenter.Segment(frame.AsSpan(VirtioNetHeader.Length), layout, ref sink, out _));
        Assert.Equal(3, sink.Segments.Count);
        for (int i = 0; i < 3; i++)
        {
            var ip = new IPv4Packet(new ByteArraySegment(sink.Segments[i]));
            var udp = (UdpPacket)ip.PayloadPacket;
            Assert.True(ip.ValidIPChecksum);
            Assert.True(udp.ValidUdpChecksum);
            Assert.Equal(data[(i * 1000)..Math.Min(data.Length, (i + 1) * 1000)], udp.PayloadData);
        }
    }

    /// <summary>A tun with a vnet header, 10.99.0.1/24, up, in <paramref name="ns"/>.</summary>
    private static TunDevice Configured(TestNamespace ns, string name, TunOffloads offloads)
    {
        var tun = NetworkNamespace.RunInside(ns.Name, () => TunDevice.OpenWithVnetHeader(name, TunMode.Tun, offloads));
        using var netlink = NetworkNamespace.OpenRtNetlink(ns.Name);
        netlink.AddAddress(tun.Name, IPAddress.Parse("10.99.0.1"), 24);
        netlink.SetLinkUp(tun.Name);
        return tun;
    }
}
