using System.Net;
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
/// The kernel as the judge of the offload code: a super-frame the coalescer made is written
/// into one tun, the namespace forwards it to a second tun, and what comes out must be the
/// segments that went in (TTL one lower). Without offloads on the second tun the kernel cuts
/// the frame and finishes our partial checksum itself; with TSO it hands the frame on whole
/// and our segmenter cuts it.
/// </summary>
public sealed class TunOffloadForwardingTests
{
    private const TunOffloads Tso = TunOffloads.Checksum | TunOffloads.Tso4 | TunOffloads.Tso6;
    private const int SegmentCount = 5;
    private const int SegmentSize = 1000;

    [IntegrationFact]
    public void A_coalesced_super_frame_is_cut_by_the_kernel_into_the_original_segments()
    {
        using var ns = TestNamespace.Create();
        var (ingress, egress) = Forwarding(ns, egressOffloads: null);
        using (ingress)
        using (egress)
        {
            var segments = Segments();
            TunFrames.WriteMerged(new TcpCoalescer(), ingress, segments);

            for (int i = 0; i < SegmentCount; i++)
                AssertForwarded(segments[i], ReadTcp(egress, headerLength: 0));
        }
    }

    [IntegrationFact]
    public void A_coalesced_super_frame_forwarded_whole_is_cut_by_the_segmenter_into_the_original_segments()
    {
        using var ns = TestNamespace.Create();
        var (ingress, egress) = Forwarding(ns, egressOffloads: Tso);
        using (ingress)
        using (egress)
        {
            var segments = Segments();
            TunFrames.WriteMerged(new TcpCoalescer(), ingress, segments);

            byte[] frame = ReadTcp(egress, headerLength: VirtioNetHeader.Length);
            Assert.True(VirtioNetHeader.TryParse(frame, out var header));
            Assert.Equal(VirtioHeaderCheck.Valid, header.Validate(frame.AsSpan(VirtioNetHeader.Length), out var layout));
            Assert.Equal((VirtioGsoType.TcpV4, SegmentSize, SegmentCount), (layout.GsoType, layout.GsoSize, layout.SegmentCount));
            var sink = new CollectingSink();
            Assert.Equal(SegmentResult.Done, GsoSegmenter.Segment(frame.AsSpan(VirtioNetHeader.Length), layout, ref sink, out _));
            for (int i = 0; i < SegmentCount; i++)
                AssertForwarded(segments[i], sink.Segments[i]);
        }
    }

    /// <summary>Ingress tun (10.99.0.1/24, offloads on) and egress tun (10.98.0.1/24), forwarding on.</summary>
    private static (TunDevice Ingress, TunDevice Egress) Forwarding(TestNamespace ns, TunOffloads? egressOffloads)
    {
        var ingress = NetworkNamespace.RunInside(ns.Name, () => TunDevice.OpenWithVnetHeader("efwd-in", TunMode.Tun, Tso));
        var egress = NetworkNamespace.RunInside(ns.Name, () => egressOffloads is { } offloads
            ? TunDevice.OpenWithVnetHeader("efwd-out", TunMode.Tun, offloads)
            : TunDevice.Open("efwd-out", TunMode.Tun));
        using var netlink = NetworkNamespace.OpenRtNetlink(ns.Name);
        netlink.AddAddress(ingress.Name, IPAddress.Parse("10.99.0.1"), 24);
        netlink.AddAddress(egress.Name, IPAddress.Parse("10.98.0.1"), 24);
        netlink.SetLinkUp(ingress.Name);
        netlink.SetLinkUp(egress.Name);
        Assert.Equal(0, Shell.InNamespace(ns.Name, "sysctl -qw net.ipv4.ip_forward=1").ExitCode);
        return (ingress, egress);
    }

    /// <summary>Consecutive segments of one flow from 10.99.0.2 to 10.98.0.2, built by PacketDotNet.</summary>
    private static List<byte[]> Segments()
    {
        var segments = new List<byte[]>();
        for (int i = 0; i < SegmentCount; i++)
        {
            var tcp = new TcpPacket(40000, 5201)
            {
                SequenceNumber = 1_000_000u + (uint)(i * SegmentSize),
                AcknowledgmentNumber = 4242,
                Acknowledgment = true,
                WindowSize = 500,
                PayloadData = Enumerable.Range(i * SegmentSize, SegmentSize).Select(b => (byte)(b * 7 + 3)).ToArray(),
            };
            var ip = new IPv4Packet(IPAddress.Parse("10.99.0.2"), IPAddress.Parse("10.98.0.2"))
            {
                PayloadPacket = tcp,
                TimeToLive = 64,
                Id = (ushort)(0x100 + i),
                FragmentFlags = 0b010,
            };
            ip.UpdateCalculatedValues();
            var parsed = new IPv4Packet(new ByteArraySegment(ip.Bytes));
            ((TcpPacket)parsed.PayloadPacket).UpdateTcpChecksum();
            parsed.UpdateIPChecksum();
            segments.Add(parsed.Bytes);
        }
        return segments;
    }

    private static void AssertForwarded(byte[] sent, byte[] received)
    {
        var ip = new IPv4Packet(new ByteArraySegment(received));
        var tcp = (TcpPacket)ip.PayloadPacket;
        var original = new IPv4Packet(new ByteArraySegment(sent));
        var originalTcp = (TcpPacket)original.PayloadPacket;
        Assert.Equal(63, ip.TimeToLive);
        Assert.Equal(original.Id, ip.Id);
        Assert.Equal(original.TotalLength, ip.TotalLength);
        Assert.True(ip.ValidIPChecksum);
        Assert.True(tcp.ValidTcpChecksum, "TCP checksum wrong after forwarding");
        Assert.Equal(originalTcp.SequenceNumber, tcp.SequenceNumber);
        Assert.Equal(originalTcp.Flags, tcp.Flags);
        Assert.Equal(originalTcp.Bytes, tcp.Bytes);
    }

    /// <summary>Polls until a TCP packet for 10.98.0.2 arrives behind a header of <paramref name="headerLength"/> bytes.</summary>
    private static byte[] ReadTcp(TunDevice tun, int headerLength) =>
        TunFrames.ReadUntil(tun, frame =>
        {
            var packet = frame.AsSpan(headerLength);
            return packet.Length > 40 && packet[0] == 0x45 && packet[9] == 6 && packet[16] == 10 && packet[17] == 98;
        }, "no forwarded TCP packet arrived");
}
