using System.Net;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Router;
using Engine.Actors.Routing;
using Engine.Tests.Wire;
using PacketDotNet;
using PacketDotNet.Utils;
using Xunit;
using static Engine.Tests.Routing.TestPrefixes;

namespace Engine.Tests.Router;

/// <summary>The router actor with TestProbes as its ports.</summary>
public sealed class RouterActorTests : TestKit
{
    private readonly FrameBatchPool _pool = new(batchCapacity: 16, bufferSize: 4096, maxBatches: 64);
    private readonly TestProbe[] _probes;
    private readonly Port[] _ports;
    private readonly RouterCounters _counters = new();
    private readonly IActorRef _router;

    public RouterActorTests()
    {
        _probes = [CreateTestProbe("a"), CreateTestProbe("b"), CreateTestProbe("c")];
        _ports = new Port[3];
        for (var i = 0; i < 3; i++)
        {
            _ports[i] = new Port(i, $"port{i}", _probes[i], mtu: i == 2 ? 1280 : 1500, new PortCounters())
            {
                Ipv4Address = Packets.V4($"10.0.{i + 1}.254"),
                Ipv6Address = Packets.V6($"fd00:{i + 1}::fe"),
            };
        }
        var routes = new[]
        {
            (Prefix("10.0.1.0/24"), 0), (Prefix("10.0.2.0/24"), 1), (Prefix("10.0.3.0/24"), 2),
            (Prefix("fd00:1::/64"), 0), (Prefix("fd00:2::/64"), 1), (Prefix("fd00:3::/64"), 2),
        };
        _router = Sys.ActorOf(RouterActor.Props(_pool, new RouteSnapshot(_ports, routes), _counters));
    }

    [Fact]
    public void Frames_that_come_before_the_router_has_a_table_are_counted_not_lost_silently()
    {
        var counters = new RouterCounters();
        var router = Sys.ActorOf(RouterActor.Props(_pool, RouteSnapshot.Empty, counters));

        ProbeFrames.Send(_pool, router, 0, Packets.Ipv4Udp("10.0.1.1", "10.0.2.1", 16));

        AwaitAssert(() => Assert.Equal(1, counters.DroppedBeforeTable));
        Assert.Equal(0, counters.Forwarded);
    }

    [Fact]
    public void A_batch_is_split_into_one_batch_per_egress_port()
    {
        _router.Tell(Batch(ingress: 0,
            Packets.Ipv4Udp("10.0.1.1", "10.0.2.5", 16),
            Packets.Ipv4Udp("10.0.1.1", "10.0.3.7", 16),
            Packets.Ipv4Udp("10.0.1.1", "10.0.2.9", 16)));

        var toB = _probes[1].ExpectMsg<FrameBatch>();
        var toC = _probes[2].ExpectMsg<FrameBatch>();
        Assert.Equal(2, toB.Count);
        Assert.Equal(1, toC.Count);
        Assert.Equal("10.0.2.5", ParseIpv4(toB.Frame(0)).DestinationAddress.ToString());
        Assert.Equal("10.0.2.9", ParseIpv4(toB.Frame(1)).DestinationAddress.ToString());
        Assert.Equal("10.0.3.7", ParseIpv4(toC.Frame(0)).DestinationAddress.ToString());

        // Forwarded packets lose one TTL and keep a valid header checksum.
        var forwarded = ParseIpv4(toB.Frame(0));
        Assert.Equal(63, forwarded.TimeToLive);
        Assert.True(forwarded.ValidIPChecksum);
        _probes[0].ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal(3, _counters.Forwarded);
        toB.Release();
        toC.Release();
    }

    [Fact]
    public void Ttl_one_yields_icmp_time_exceeded_back_to_the_ingress()
    {
        _router.Tell(Batch(ingress: 0, Packets.Ipv4Udp("10.0.1.1", "10.0.2.5", 16, ttl: 1)));

        var back = _probes[0].ExpectMsg<FrameBatch>();
        var ip = ParseIpv4(back.Frame(0));
        Assert.Equal("10.0.1.254", ip.SourceAddress.ToString());
        Assert.Equal("10.0.1.1", ip.DestinationAddress.ToString());
        var icmp = Assert.IsType<IcmpV4Packet>(ip.PayloadPacket);
        Assert.Equal(IcmpV4TypeCode.TimeExceeded, icmp.TypeCode);
        _probes[1].ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal(1, _ports[0].Counters.Drops(DropReason.TtlExpired));
        back.Release();
    }

    [Fact]
    public void No_route_is_counted_and_answered_with_net_unreachable()
    {
        _router.Tell(Batch(ingress: 1, Packets.Ipv4Udp("10.0.2.1", "192.0.2.9", 16)));

        var back = _probes[1].ExpectMsg<FrameBatch>();
        var icmp = Assert.IsType<IcmpV4Packet>(ParseIpv4(back.Frame(0)).PayloadPacket);
        Assert.Equal(IcmpV4TypeCode.UnreachableNet, icmp.TypeCode);
        Assert.Equal(1, _ports[1].Counters.Drops(DropReason.NoRoute));
        back.Release();
    }

    [Fact]
    public void Too_big_with_dont_fragment_gets_fragmentation_needed_with_the_egress_mtu()
    {
        _router.Tell(Batch(ingress: 0, Packets.Ipv4Udp("10.0.1.1", "10.0.3.7", 1400, dontFragment: true)));

        var back = _probes[0].ExpectMsg<FrameBatch>();
        var icmp = Assert.IsType<IcmpV4Packet>(ParseIpv4(back.Frame(0)).PayloadPacket);
        Assert.Equal(IcmpV4TypeCode.UnreachableFragmentationNeeded, icmp.TypeCode);
        Assert.Equal(1280, icmp.Bytes[6] << 8 | icmp.Bytes[7]);
        Assert.Equal(1, _ports[0].Counters.Drops(DropReason.TooBig));
        back.Release();
    }

    [Fact]
    public void Too_big_without_dont_fragment_is_fragmented_to_the_egress_mtu()
    {
        var original = Packets.Ipv4Udp("10.0.1.1", "10.0.3.7", 3000);
        _router.Tell(Batch(ingress: 0, original));

        var fragments = _probes[2].ExpectMsg<FrameBatch>();
        Assert.Equal(3, fragments.Count);
        var reassembled = new List<byte>();
        for (var i = 0; i < fragments.Count; i++)
        {
            var ip = ParseIpv4(fragments.Frame(i));
            Assert.True(ip.TotalLength <= 1280);
            Assert.True(ip.ValidIPChecksum);
            Assert.Equal(reassembled.Count, ip.FragmentOffset * 8);
            Assert.Equal(i < fragments.Count - 1, (ip.FragmentFlags & 0x1) != 0);
            reassembled.AddRange(fragments.Frame(i)[20..ip.TotalLength].ToArray()); // no options: 20-byte headers
        }
        Assert.Equal(original[20..], reassembled.ToArray());
        fragments.Release();
    }

    [Fact]
    public void Ipv6_is_routed_with_hop_limit_decrement_and_time_exceeded()
    {
        _router.Tell(Batch(ingress: 0,
            Packets.Ipv6Udp("fd00:1::1", "fd00:2::5", 16),
            Packets.Ipv6Udp("fd00:1::1", "fd00:2::5", 16, hopLimit: 1)));

        var toB = _probes[1].ExpectMsg<FrameBatch>();
        Assert.Equal(63, new IPv6Packet(new ByteArraySegment(toB.Frame(0).ToArray())).HopLimit);
        var back = _probes[0].ExpectMsg<FrameBatch>();
        var ip = new IPv6Packet(new ByteArraySegment(back.Frame(0).ToArray()));
        Assert.Equal("fd00:1::fe", ip.SourceAddress.ToString());
        var icmp = Assert.IsType<IcmpV6Packet>(ip.PayloadPacket);
        Assert.Equal(IcmpV6Type.TimeExceeded, icmp.Type);
        toB.Release();
        back.Release();
    }

    [Fact]
    public void Malformed_frames_are_dropped_and_counted_and_the_router_keeps_forwarding()
    {
        var good = Packets.Ipv4Udp("10.0.1.1", "10.0.2.5", 16);
        var truncated = good[..12];
        var lyingLength = (byte[])good.Clone();
        lyingLength[2] = 0xFF; // total length far beyond the frame
        var badChecksum = (byte[])good.Clone();
        badChecksum[10] ^= 0xFF;
        var badVersion = (byte[])good.Clone();
        badVersion[0] = 0x55;

        _router.Tell(Batch(ingress: 0, truncated, lyingLength, badChecksum, badVersion, [], good));

        var toB = _probes[1].ExpectMsg<FrameBatch>();
        Assert.Equal(1, toB.Count);
        Assert.Equal(4, _ports[0].Counters.Drops(DropReason.Malformed));
        Assert.Equal(1, _ports[0].Counters.Drops(DropReason.Unsupported));
        toB.Release();
    }

    [Fact]
    public void Bytes_after_the_total_length_are_not_forwarded()
    {
        var packet = Packets.Ipv4Udp("10.0.1.1", "10.0.2.5", 4);
        var padded = new byte[packet.Length + 14];
        packet.CopyTo(padded, 0);
        _router.Tell(Batch(ingress: 0, padded));

        var toB = _probes[1].ExpectMsg<FrameBatch>();
        Assert.Equal(packet.Length, toB.Frame(0).Length);
        toB.Release();
    }

    [Fact]
    public void A_new_snapshot_replaces_the_table_whole()
    {
        // 10.0.2.0/24 moves from port 1 to port 2; nothing else is routed any more.
        _router.Tell(new RoutesChanged(new RouteSnapshot(_ports, [(Prefix("10.0.2.0/24"), 2)])));
        _router.Tell(Batch(ingress: 0, Packets.Ipv4Udp("10.0.1.1", "10.0.2.5", 16), Packets.Ipv4Udp("10.0.1.1", "10.0.3.7", 16)));

        var toC = _probes[2].ExpectMsg<FrameBatch>();
        Assert.Equal(1, toC.Count);
        Assert.Equal("10.0.2.5", ParseIpv4(toC.Frame(0)).DestinationAddress.ToString());
        _probes[1].ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal(1, _ports[0].Counters.Drops(DropReason.NoRoute));
        toC.Release();
        _probes[0].ExpectMsg<FrameBatch>().Release(); // the net-unreachable answer
    }

    private FrameBatch Batch(int ingress, params byte[][] frames)
    {
        Assert.True(_pool.TryRent(out var batch));
        batch.IngressPort = ingress;
        foreach (var frame in frames) Assert.True(batch.TryAppendCopy(frame));
        return batch;
    }

    private static IPv4Packet ParseIpv4(Span<byte> frame) => new(new ByteArraySegment(frame.ToArray()));
}
