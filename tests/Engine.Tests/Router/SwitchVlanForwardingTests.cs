using System.Diagnostics;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Router;
using Engine.Actors.Routing;
using Engine.Actors.Switching;
using Engine.Actors.Wire;
using Engine.Tests.Offload;
using Engine.Tests.Wire;
using Xunit;

namespace Engine.Tests.Router;

/// <summary>
/// 802.1Q in the router's switch stage: a frame stays in its VLAN, leaves access ports untagged
/// and trunks tagged (untagged in a trunk's native VLAN), frames outside a port's VLANs are
/// dropped and counted <c>vlan</c>, and a frame with offloads is finished before a tag goes in.
/// </summary>
public sealed class SwitchVlanForwardingTests : TestKit
{
    private const int Payload = 10_000;
    private const int GsoSize = 1448;
    private static readonly MacAddress HostA = MacAddress.Parse("02:00:00:00:00:0a");
    private static readonly MacAddress HostB = MacAddress.Parse("02:00:00:00:00:0b");

    private readonly FrameBatchPool _pool = new(batchCapacity: 64, bufferSize: 70_000, maxBatches: 64);
    private readonly TestProbe[] _probes;
    private readonly Port[] _ports;
    private readonly IActorRef _router;

    // Members of lan1: 0 a tap in VLAN 10; 1 a tap in VLAN 20; 2 a tap trunking 10 and 20 with
    // no native VLAN (it takes every offload); 3 a link trunking 10 with native VLAN 1; 4 a tap
    // in VLAN 10; 5 a tap in VLAN 1; 6 a tap alone in VLAN 30.
    public SwitchVlanForwardingTests()
    {
        _probes = Enumerable.Range(0, 7).Select(i => CreateTestProbe($"p{i}")).ToArray();
        var vlans = new SwitchVlans(7);
        vlans.SetAccess(0, 10);
        vlans.SetAccess(1, 20);
        vlans.SetTrunk(2, [10, 20], native: 0);
        vlans.SetTrunk(3, [10], native: 1);
        vlans.SetAccess(4, 10);
        vlans.SetAccess(6, 30);
        var lan = new L2Switch("lan1", [0, 1, 2, 3, 4, 5, 6], new MacTable(7, 16, Stopwatch.Frequency * 300),
            new StormControl(7, 1000, Stopwatch.Frequency), vlans: vlans);
        _ports = Enumerable.Range(0, 7).Select(i => new Port(i, $"p{i}", _probes[i], i == 3 ? 1500 + Forwarder.WiredLinkHeader : 1500, new PortCounters())
        {
            IsEthernet = i != 3,
            IsPeer = i == 3,
            Mac = MacAddress.LocallyAdministered($"p{i}"),
            Switch = new SwitchMembership(lan, i),
        }).ToArray();
        _router = Sys.ActorOf(RouterActor.Props(_pool, new RouteSnapshot(_ports, []), new RouterCounters()));
        _router.Tell(new PortOffloadsChanged(2, PortOffloads.PartialChecksum | PortOffloads.TcpV4 | PortOffloads.TcpV6 | PortOffloads.Udp));
    }

    [Fact]
    public void A_broadcast_from_an_access_port_stays_in_its_vlan_untagged_on_access_ports_and_tagged_on_trunks()
    {
        var arp = Frame(MacAddress.Broadcast, HostA, null, 0x0806);
        Send(0, arp);

        Assert.Equal(arp, Single(_probes[4]));
        Assert.Equal(Frame(MacAddress.Broadcast, HostA, 10, 0x0806), Single(_probes[2]));
        Assert.Equal(Frame(MacAddress.Broadcast, HostA, 10, 0x0806), Single(_probes[3]));
        _probes[1].ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        _probes[5].ExpectNoMsg(TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public void A_tagged_broadcast_from_a_trunk_leaves_the_access_ports_of_its_vlan_untagged_and_no_other()
    {
        Send(2, Frame(MacAddress.Broadcast, HostB, 20, 0x0806));

        Assert.Equal(Frame(MacAddress.Broadcast, HostB, null, 0x0806), Single(_probes[1]));
        foreach (var other in new[] { 0, 3, 4, 5 })
            _probes[other].ExpectNoMsg(TimeSpan.FromMilliseconds(other == 0 ? 100 : 1));
    }

    [Fact]
    public void A_native_vlan_frame_crosses_a_trunk_untagged()
    {
        var arp = Frame(MacAddress.Broadcast, HostA, null, 0x0806);
        Send(5, arp);
        Assert.Equal(arp, Single(_probes[3]));

        var answer = Frame(HostA, HostB, null, 0x0800);
        Send(3, answer);
        Assert.Equal(answer, Single(_probes[5]));
        _probes[0].ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_host_learned_behind_a_trunk_is_reached_tagged_and_answers_untagged_to_the_access_port()
    {
        LearnHostBOnTrunk();

        Send(0, Frame(HostB, HostA, null, 0x0800));
        Assert.Equal(Frame(HostB, HostA, 10, 0x0800), Single(_probes[2]));

        Send(2, Frame(HostA, HostB, 10, 0x0800));
        Assert.Equal(Frame(HostA, HostB, null, 0x0800), Single(_probes[0]));
        _probes[4].ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Frames_outside_a_ports_vlans_are_dropped_and_counted_vlan()
    {
        Send(0, Frame(MacAddress.Broadcast, HostA, 10, 0x0806));
        Send(2, Frame(MacAddress.Broadcast, HostA, 30, 0x0806));
        Send(2, Frame(MacAddress.Broadcast, HostA, null, 0x0806));

        _probes[4].ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        _probes[1].ExpectNoMsg(TimeSpan.FromMilliseconds(1));
        AwaitAssert(() => Assert.Equal(2, _ports[2].Counters.Drops(DropReason.Vlan)));
        Assert.Equal(1, _ports[0].Counters.Drops(DropReason.Vlan));
        Assert.Equal("vlan=1", _ports[0].Counters.DescribeDrops());
    }

    [Fact]
    public void A_broadcast_in_a_vlan_with_no_other_member_goes_nowhere_and_is_counted_filtered()
    {
        Send(6, Frame(MacAddress.Broadcast, HostA, null, 0x0806));

        foreach (var other in Enumerable.Range(0, 6))
            _probes[other].ExpectNoMsg(TimeSpan.FromMilliseconds(other == 0 ? 100 : 1));
        AwaitAssert(() => Assert.Equal(1, _ports[6].Counters.Drops(DropReason.Filtered)));
    }

    [Fact]
    public void A_partial_checksum_is_filled_before_a_tag_is_pushed_in_front_of_it()
    {
        LearnHostBOnTrunk();
        var withHeader = Reference.SuperFrame(new UdpSpec { Source = "10.77.0.1", Destination = "10.77.0.2", Payload = Packets.Pattern(40) }.Build(), VirtioGsoType.None, 0, 17);
        Send(0, withHeader, offload: true);

        var frame = Single(_probes[2]);
        Assert.Equal(Frame(HostB, HostA, 10, 0x0800)[..VlanTag.TaggedHeaderLength], frame[..VlanTag.TaggedHeaderLength]);
        Assert.True(Reference.ChecksumsValid(frame[VlanTag.TaggedHeaderLength..]), "bad checksum");
    }

    [Fact]
    public void A_link_frame_with_an_offload_layout_is_not_retagged_but_counted_unsupported()
    {
        // Only a tap's layout is known to count from behind a 14-byte Ethernet header.
        Send(0, Frame(MacAddress.Broadcast, HostA, null, 0x0806));
        foreach (var member in new[] { 2, 3, 4 })
            Single(_probes[member]);
        var withHeader = Reference.SuperFrame(new UdpSpec { Source = "10.77.0.2", Destination = "10.77.0.1", Payload = Packets.Pattern(40) }.Build(), VirtioGsoType.None, 0, 17);
        var tagged = Frame(HostA, HostB, 10, 0x0800)[..VlanTag.TaggedHeaderLength];

        Assert.True(_pool.TryRent(out var batch));
        batch.IngressPort = 3;
        batch.TryAppendCopy([.. tagged, .. withHeader.AsSpan(VirtioNetHeader.Length)]);
        batch.Offload(0) = GsoSegmenterTests.Validated(withHeader);
        _router.Tell(batch);

        _probes[0].ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        AwaitAssert(() => Assert.Equal(1, _ports[3].Counters.Drops(DropReason.Unsupported)));
    }

    [Fact]
    public void A_super_frame_for_a_trunk_is_cut_into_segments_each_behind_a_tagged_header()
    {
        // The trunk takes super-frames, but their layout would not count past the tag: they are cut.
        LearnHostBOnTrunk();
        var spec = new TcpSpec { Source = "10.77.0.1", Destination = "10.77.0.2", Payload = Packets.Pattern(Payload) };
        Send(0, Reference.SuperFrame(spec.Build(), VirtioGsoType.TcpV4, GsoSize, 6), offload: true);

        var seen = 0;
        var header = Frame(HostB, HostA, 10, 0x0800)[..VlanTag.TaggedHeaderLength];
        foreach (var frame in Collect(_probes[2], (Payload + GsoSize - 1) / GsoSize))
        {
            Assert.Equal(header, frame[..VlanTag.TaggedHeaderLength]);
            var segment = frame[VlanTag.TaggedHeaderLength..];
            Assert.True(Reference.ChecksumsValid(segment), "bad checksum");
            seen += segment.Length - 40;
        }
        Assert.Equal(Payload, seen);
    }

    /// <summary>HostB broadcasts from the trunk in VLAN 10; the copies are taken off the other members.</summary>
    private void LearnHostBOnTrunk()
    {
        Send(2, Frame(MacAddress.Broadcast, HostB, 10, 0x0806));
        foreach (var member in new[] { 0, 3, 4 })
            Single(_probes[member]);
    }

    /// <param name="vid">The 802.1Q tag's VLAN id, or null for an untagged frame.</param>
    private static byte[] Frame(MacAddress destination, MacAddress source, int? vid, ushort etherType)
    {
        var header = vid is null ? EthernetFrame.HeaderLength : VlanTag.TaggedHeaderLength;
        var frame = new byte[header + 46];
        EthernetFrame.WriteHeader(frame, destination, source, etherType);
        if (vid is { } id)
        {
            VlanTag.Write(frame, id);
            frame[VlanTag.TaggedHeaderLength - 2] = (byte)(etherType >> 8);
            frame[VlanTag.TaggedHeaderLength - 1] = (byte)etherType;
        }
        frame[^1] = 0x5a;
        return frame;
    }

    private void Send(int port, byte[] frame, bool offload = false)
    {
        Assert.True(_pool.TryRent(out var batch));
        batch.IngressPort = port;
        if (offload)
        {
            // As a tap with offloads hands it over: an Ethernet header, then the packet whose layout counts from it.
            var ethernet = new byte[EthernetFrame.HeaderLength];
            EthernetFrame.WriteHeader(ethernet, HostB, HostA, EtherType.Ipv4);
            batch.TryAppendCopy([.. ethernet, .. frame.AsSpan(VirtioNetHeader.Length)]);
            batch.Offload(0) = GsoSegmenterTests.Validated(frame);
        }
        else
            batch.TryAppendCopy(frame);
        _router.Tell(batch);
    }

    private static byte[] Single(TestProbe probe)
    {
        var batch = probe.ExpectMsg<FrameBatch>();
        Assert.Equal(1, batch.Count);
        Assert.Equal(default, batch.Offload(0));
        var frame = batch.Frame(0).ToArray();
        batch.Release();
        return frame;
    }

    private static List<byte[]> Collect(TestProbe probe, int count)
    {
        var frames = new List<byte[]>();
        while (frames.Count < count)
        {
            var batch = probe.ExpectMsg<FrameBatch>();
            for (var i = 0; i < batch.Count; i++)
            {
                Assert.False(batch.Offload(i).IsGso);
                frames.Add(batch.Frame(i).ToArray());
            }
            batch.Release();
        }
        return frames;
    }
}
