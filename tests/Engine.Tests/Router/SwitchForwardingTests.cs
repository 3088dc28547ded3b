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
/// Switched ports in the router: broadcast and unknown unicast flood to every other member and
/// never back to the ingress, a learned destination goes to its one port, storm control drops
/// and counts, and a port outside the switch sees nothing.
/// </summary>
public sealed class SwitchForwardingTests : TestKit
{
    private static readonly MacAddress HostA = MacAddress.Parse("02:00:00:00:00:0a");
    private static readonly MacAddress HostB = MacAddress.Parse("02:00:00:00:00:0b");
    private static readonly MacAddress HostC = MacAddress.Parse("02:00:00:00:00:0c");

    private readonly FrameBatchPool _pool = new(batchCapacity: 64, bufferSize: 2048, maxBatches: 64);
    private readonly TestProbe[] _probes;
    private readonly Port[] _ports;
    private readonly IActorRef _router;

    // Ports 0, 1 and 2 taps and 3 an Ethernet-carrying link, members 0 to 3 of switch lan1
    // (storm control: a burst of 3, refilled at 3 an hour so that no test waits on the clock);
    // port 4 a tap in no switch.
    public SwitchForwardingTests()
    {
        _probes = Enumerable.Range(0, 5).Select(i => CreateTestProbe($"p{i}")).ToArray();
        var lan = new L2Switch("lan1", [0, 1, 2, 3], new MacTable(4, 16, Stopwatch.Frequency * 300), new StormControl(4, 3, Stopwatch.Frequency * 3600));
        _ports = Enumerable.Range(0, 5).Select(i => new Port(i, $"p{i}", _probes[i], i == 3 ? 1500 + Forwarder.WiredLinkHeader : 1500, new PortCounters())
        {
            IsEthernet = i != 3,
            IsPeer = i == 3,
            Mac = MacAddress.LocallyAdministered($"p{i}"),
            Switch = i < 4 ? new SwitchMembership(lan, i) : null,
        }).ToArray();
        _router = Sys.ActorOf(RouterActor.Props(_pool, new RouteSnapshot(_ports, []), new RouterCounters()));
    }

    [Fact]
    public void A_broadcast_floods_to_every_other_member_unchanged_and_not_back_or_outside_the_switch()
    {
        var arp = Frame(MacAddress.Broadcast, HostA, 0x0806);
        Send(1, arp);

        foreach (var member in new[] { 0, 2, 3 })
            Assert.Equal(arp, Single(_probes[member]));
        _probes[1].ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        _probes[4].ExpectNoMsg(TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public void A_hosts_udp_broadcast_with_its_checksum_left_to_fill_floods_with_the_checksum_filled()
    {
        // A host's kernel hands a tap with offloads its UDP (RIP, DHCP) checksum still to fill.
        var withHeader = Reference.SuperFrame(new UdpSpec { Source = "10.77.0.1", Destination = "10.77.0.255", Payload = Packets.Pattern(40) }.Build(), VirtioGsoType.None, 0, 17);
        var layout = GsoSegmenterTests.Validated(withHeader);
        var frame = new byte[EthernetFrame.HeaderLength + withHeader.Length - VirtioNetHeader.Length];
        EthernetFrame.WriteHeader(frame, MacAddress.Broadcast, HostA, 0x0800);
        withHeader.AsSpan(VirtioNetHeader.Length).CopyTo(frame.AsSpan(EthernetFrame.HeaderLength));
        Assert.True(_pool.TryRent(out var batch));
        batch.IngressPort = 1;
        batch.TryAppendCopy(frame);
        batch.Offload(0) = layout;
        _router.Tell(batch);

        foreach (var member in new[] { 0, 2, 3 })
            Assert.True(Reference.ChecksumsValid(Single(_probes[member])[EthernetFrame.HeaderLength..]), $"member {member}: bad checksum");
        Assert.Equal(0, _ports[1].Counters.TotalDrops);
    }

    [Fact]
    public void Unknown_unicast_floods_then_the_answer_goes_only_to_the_learned_port_and_so_does_the_next_frame()
    {
        Send(0, Frame(HostB, HostA, 0x0800));
        foreach (var member in new[] { 1, 2, 3 })
            Single(_probes[member]);

        var answer = Frame(HostA, HostB, 0x0800);
        Send(2, answer);
        Assert.Equal(answer, Single(_probes[0]));

        var next = Frame(HostB, HostA, 0x0800);
        Send(0, next);
        Assert.Equal(next, Single(_probes[2]));
        _probes[1].ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        _probes[3].ExpectNoMsg(TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public void A_frame_for_a_host_behind_its_own_ingress_is_filtered_and_counted()
    {
        Send(3, Frame(MacAddress.Broadcast, HostC, 0x0806));
        foreach (var member in new[] { 0, 1, 2 })
            Single(_probes[member]);

        Send(3, Frame(HostC, HostB, 0x0800));

        _probes[0].ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        AwaitAssert(() => Assert.Equal(1, _ports[3].Counters.Drops(DropReason.Filtered)));
    }

    [Fact]
    public void Broadcast_beyond_the_storm_rate_is_dropped_and_counted_storm()
    {
        for (var i = 0; i < 6; i++)
            Send(0, Frame(MacAddress.Broadcast, HostA, 0x0806));

        Assert.Equal(3, Collect(_probes[1]));
        Assert.Equal(3, _ports[0].Counters.Drops(DropReason.Storm));
    }

    [Fact]
    public void Hosts_learned_behind_a_link_that_goes_down_are_forgotten_and_flooded_for_again()
    {
        Send(3, Frame(MacAddress.Broadcast, HostC, 0x0806));
        foreach (var member in new[] { 0, 1, 2 })
            Single(_probes[member]);

        _router.Tell(new PortLinkChanged(3, Up: false));
        Send(0, Frame(HostC, HostA, 0x0800));

        Single(_probes[1]);
        Single(_probes[2]);
    }

    [Fact]
    public void Sources_beyond_a_ports_mac_limit_are_still_flooded_and_counted_on_the_port()
    {
        // The port learns 16 sources; the other 4 are refused, yet every frame (to an unknown
        // unicast address, so storm control stays out of it) reaches the others.
        for (var i = 0; i < 20; i++)
            Send(2, Frame(HostC, new MacAddress(0x02_00_00_00_10_00UL + (ulong)i), 0x0800));

        Assert.Equal(20, Collect(_probes[0]));
        Assert.Equal(4, _ports[2].Counters.MacLimit);
        Assert.Contains("mac-limit=4", _ports[2].Counters.DescribeDrops());
    }

    private static byte[] Frame(MacAddress destination, MacAddress source, ushort etherType)
    {
        var frame = new byte[EthernetFrame.HeaderLength + 46];
        EthernetFrame.WriteHeader(frame, destination, source, etherType);
        frame[^1] = 0x5a;
        return frame;
    }

    private void Send(int port, byte[] frame) => ProbeFrames.Send(_pool, _router, port, frame);

    // A switched frame carries no port tag.
    private static byte[] Single(TestProbe probe) => ProbeFrames.Single(probe, tag: -1);

    /// <summary>Frames the probe receives until it has been quiet for a while.</summary>
    private static int Collect(TestProbe probe)
    {
        var count = 0;
        while (probe.ReceiveOne(TimeSpan.FromMilliseconds(200)) is FrameBatch batch)
        {
            count += batch.Count;
            batch.Release();
        }
        return count;
    }
}
