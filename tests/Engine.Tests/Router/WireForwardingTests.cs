using System.Buffers.Binary;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Router;
using Engine.Actors.Routing;
using Engine.Actors.Wire;
using Engine.Tests.Offload;
using Engine.Tests.Wire;
using Xunit;

namespace Engine.Tests.Router;

/// <summary>
/// Wired ports: every frame goes to the far end of its wire unchanged (no TTL change, no ARP,
/// any protocol), super-frames stay whole where the far end takes them and are finished where
/// it does not, and an engine link's wires are told apart by their tags.
/// </summary>
public sealed class WireForwardingTests : TestKit
{
    private const int Payload = 10_000;
    private const int GsoSize = 1448;
    private const ushort Lldp = 0x88cc;
    private static readonly MacAddress HostA = MacAddress.Parse("02:00:00:00:00:0a");
    private static readonly MacAddress HostB = MacAddress.Parse("02:00:00:00:00:0b");

    private readonly FrameBatchPool _pool = new(batchCapacity: 64, bufferSize: 70_000, maxBatches: 64);
    private readonly TestProbe[] _probes;
    private readonly Port[] _ports;
    private readonly IActorRef _router;

    // Ports: 0 tun <-> 3 length16 peer; 1 tap and 2 tun <-> 4 engine link (tags 1 and 0);
    // 5 tap <-> 6 tap; 7 a routed tun (10.0.9.0/24). Ports 0, 5 and 6 take every offload. The
    // engine link carries a tap's wire: as in a lab, its MTU has room for the Ethernet header.
    public WireForwardingTests()
    {
        _probes = Enumerable.Range(0, 8).Select(i => CreateTestProbe($"p{i}")).ToArray();
        PortWires Untagged(int port) => new([new WireEnd(port, -1)], tagged: false);
        PortWires To4(int tag) => new([new WireEnd(4, tag)], tagged: false);
        var wires = new[]
        {
            Untagged(3), To4(1), To4(0), Untagged(0),
            new PortWires([new WireEnd(2, -1), new WireEnd(1, -1)], tagged: true),
            Untagged(6), Untagged(5), null,
        };
        _ports = Enumerable.Range(0, 8).Select(i => new Port(i, $"p{i}", _probes[i], i == 4 ? 1500 + Forwarder.WiredLinkHeader : 1500, new PortCounters())
        {
            IsEthernet = i is 1 or 5 or 6,
            IsPeer = i is 3 or 4,
            Mac = MacAddress.LocallyAdministered($"p{i}"),
            Ipv4Address = i == 7 ? Packets.V4("10.0.9.254") : 0,
            Wires = wires[i],
        }).ToArray();
        _router = Sys.ActorOf(RouterActor.Props(_pool, new RouteSnapshot(_ports, [(IpPrefix.Ipv4(Packets.V4("10.0.9.0"), 24), 7)]), new RouterCounters()));
        var all = PortOffloads.PartialChecksum | PortOffloads.TcpV4 | PortOffloads.TcpV6 | PortOffloads.Udp;
        foreach (var port in new[] { 0, 5, 6 }) _router.Tell(new PortOffloadsChanged(port, all));
    }

    [Fact]
    public void An_ospf_hello_to_a_multicast_group_with_ttl_1_crosses_a_wire_unchanged_both_ways()
    {
        var hello = Ospf("10.0.12.1", "224.0.0.5");
        Send(0, hello);
        Assert.Equal(hello, Single(_probes[3], out var tag));
        Assert.Equal(-1, tag);

        var answer = Ospf("10.0.12.2", "224.0.0.5");
        Send(3, answer);
        Assert.Equal(answer, Single(_probes[0], out _));
        _probes[7].ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void An_ipv6_link_local_packet_to_ff02_goes_over_the_engine_link_with_its_wire_tag()
    {
        var hello = Packets.Ipv6Udp("fe80::1", "ff02::5", 40, hopLimit: 1);
        Send(2, hello);
        Assert.Equal(hello, Single(_probes[4], out var tag));
        Assert.Equal(0, tag);
    }

    [Fact]
    public void A_frame_from_the_engine_link_leaves_through_the_port_its_tag_names()
    {
        var ethernet = EthernetFrameOf(HostA, HostB, Lldp, Packets.Pattern(60));
        Send(4, ethernet, tag: 1);
        Assert.Equal(ethernet, Single(_probes[1], out _));

        var packet = Ospf("10.0.12.1", "224.0.0.5");
        Send(4, packet, tag: 0);
        Assert.Equal(packet, Single(_probes[2], out _));
    }

    [Theory]
    [InlineData(7)]
    [InlineData(-1)]
    public void A_frame_whose_tag_names_no_wire_is_counted_and_dropped(int tag)
    {
        Send(4, Ospf("10.0.12.1", "224.0.0.5"), tag);
        _probes[1].ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        _probes[2].ExpectNoMsg(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, _ports[4].Counters.Drops(DropReason.NoRoute));
    }

    [Fact]
    public void Between_taps_any_ethertype_vlan_tags_and_arp_cross_unanswered()
    {
        var lldp = EthernetFrameOf(MacAddress.Parse("01:80:c2:00:00:0e"), HostA, Lldp, Packets.Pattern(46));
        var vlan = EthernetFrameOf(HostB, HostA, 0x8100, [0x00, 0x0a, 0x08, 0x00, .. Ospf("10.0.12.1", "224.0.0.5")]);
        var arp = EthernetFrameOf(MacAddress.Broadcast, HostA, EtherType.Arp, ArpRequest(HostA, "10.0.12.1", "10.0.12.2"));
        foreach (var frame in new[] { lldp, vlan, arp })
        {
            Send(5, frame);
            Assert.Equal(frame, Single(_probes[6], out _));
        }
        _probes[5].ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_super_frame_for_a_wire_that_takes_none_leaves_as_checked_segments_with_their_ttl_untouched()
    {
        Send(0, SuperFrame(), offload: true);
        var seen = 0;
        foreach (var segment in Collect(_probes[3], (Payload + GsoSize - 1) / GsoSize))
        {
            Assert.True(Reference.ChecksumsValid(segment), "bad checksum");
            Assert.True(segment.Length <= 1500);
            Assert.Equal(64, segment[8]);
            seen += segment.Length - 40;
        }
        Assert.Equal(Payload, seen);
    }

    [Fact]
    public void A_tap_super_frame_stays_whole_to_a_tap_that_takes_it()
    {
        var header = EthernetHeader(HostB, HostA, EtherType.Ipv4);
        Send(5, SuperFrame(), offload: true, linkHeader: header);
        var batch = _probes[6].ExpectMsg<FrameBatch>();
        Assert.Equal(1, batch.Count);
        Assert.True(batch.Offload(0).IsGso);
        Assert.Equal(GsoSize, batch.Offload(0).GsoSize);
        Assert.Equal(header, batch.Frame(0)[..EthernetFrame.HeaderLength].ToArray());
        batch.Release();
    }

    [Fact]
    public void A_tap_super_frame_for_a_link_leaves_as_segments_each_behind_the_same_ethernet_header()
    {
        // Port 1 takes no offloads itself here; its frame is read as a tap with offloads would hand it over.
        var header = EthernetHeader(HostB, HostA, EtherType.Ipv4);
        Send(1, SuperFrame(), offload: true, linkHeader: header);
        var seen = 0;
        foreach (var frame in Collect(_probes[4], (Payload + GsoSize - 1) / GsoSize, expectedTag: 1))
        {
            Assert.Equal(header, frame[..EthernetFrame.HeaderLength]);
            var segment = frame[EthernetFrame.HeaderLength..];
            Assert.True(Reference.ChecksumsValid(segment), "bad checksum");
            seen += segment.Length - 40;
        }
        Assert.Equal(Payload, seen);
    }

    [Fact]
    public void A_frame_larger_than_the_far_port_takes_is_counted_too_big()
    {
        Send(3, Packets.Ipv4Udp("10.0.12.2", "10.0.12.1", 1600));
        _probes[0].ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal(1, _ports[3].Counters.Drops(DropReason.TooBig));
    }

    [Fact]
    public void A_routed_port_beside_the_wires_is_still_routed()
    {
        Send(7, Packets.Ipv4Udp("10.0.9.1", "224.0.0.5", 20));
        _probes[0].ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal(1, _ports[7].Counters.Drops(DropReason.NotRoutable));
    }

    /// <summary>An IPv4 packet of protocol 89 (OSPF) with TTL 1, as ospfd sends its hellos.</summary>
    private static byte[] Ospf(string source, string destination)
    {
        var packet = Packets.Ipv4Udp(source, destination, 24, ttl: 1);
        packet[9] = 89;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), 0);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), InternetChecksum.Compute(packet.AsSpan(0, 20)));
        return packet;
    }

    private static byte[] ArpRequest(MacAddress sender, string senderIp, string targetIp)
    {
        var arp = new byte[28];
        BinaryPrimitives.WriteUInt16BigEndian(arp, 1);
        BinaryPrimitives.WriteUInt16BigEndian(arp.AsSpan(2), EtherType.Ipv4);
        arp[4] = 6;
        arp[5] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(arp.AsSpan(6), 1);
        sender.WriteTo(arp.AsSpan(8));
        BinaryPrimitives.WriteUInt32BigEndian(arp.AsSpan(14), Packets.V4(senderIp));
        BinaryPrimitives.WriteUInt32BigEndian(arp.AsSpan(24), Packets.V4(targetIp));
        return arp;
    }

    private static byte[] EthernetHeader(MacAddress destination, MacAddress source, ushort etherType)
    {
        var header = new byte[EthernetFrame.HeaderLength];
        EthernetFrame.WriteHeader(header, destination, source, etherType);
        return header;
    }

    private static byte[] EthernetFrameOf(MacAddress destination, MacAddress source, ushort etherType, byte[] payload) =>
        [.. EthernetHeader(destination, source, etherType), .. payload];

    private static byte[] SuperFrame()
    {
        var spec = new TcpSpec { Source = "10.0.12.1", Destination = "10.0.12.2", Payload = Packets.Pattern(Payload) };
        return Reference.SuperFrame(spec.Build(), VirtioGsoType.TcpV4, GsoSize, 6);
    }

    /// <summary>
    /// Sends a frame as port <paramref name="port"/>'s reader hands it over: with the layout of
    /// its virtio header when <paramref name="offload"/> (counted from the IP header, behind
    /// <paramref name="linkHeader"/> on a tap).
    /// </summary>
    private void Send(int port, byte[] frame, int tag = -1, bool offload = false, byte[]? linkHeader = null)
    {
        Assert.True(_pool.TryRent(out var batch));
        batch.IngressPort = port;
        var packet = offload ? frame.AsSpan(VirtioNetHeader.Length) : frame;
        batch.TryAppendCopy([.. linkHeader ?? [], .. packet]);
        batch.SetTag(0, tag);
        if (offload) batch.Offload(0) = GsoSegmenterTests.Validated(frame);
        _router.Tell(batch);
    }

    private static byte[] Single(TestProbe probe, out int tag)
    {
        var batch = probe.ExpectMsg<FrameBatch>();
        Assert.Equal(1, batch.Count);
        var frame = batch.Frame(0).ToArray();
        tag = batch.Tag(0);
        batch.Release();
        return frame;
    }

    private static List<byte[]> Collect(TestProbe probe, int count, int expectedTag = -1)
    {
        var frames = new List<byte[]>();
        while (frames.Count < count)
        {
            var batch = probe.ExpectMsg<FrameBatch>();
            for (var i = 0; i < batch.Count; i++)
            {
                Assert.Equal(expectedTag, batch.Tag(i));
                frames.Add(batch.Frame(i).ToArray());
            }
            batch.Release();
        }
        return frames;
    }
}
