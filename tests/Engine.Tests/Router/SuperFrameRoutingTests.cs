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
/// Super-frames and partial checksums through the router: whole to a port that takes them,
/// cut into checked packets for one that does not, and measured against the MTU by the
/// segments they will become.
/// </summary>
public sealed class SuperFrameRoutingTests : TestKit
{
    private const int Payload = 10_000;
    private const int GsoSize = 1448;
    private readonly FrameBatchPool _pool = new(batchCapacity: 64, bufferSize: 70_000, maxBatches: 64);
    private readonly TestProbe[] _probes;
    private readonly Port[] _ports;
    private readonly IActorRef _router;

    // Ports: 0 offload tun (10.0.1.0/24), 1 offload tun (10.0.2.0/24), 2 plain (10.0.3.0/24), 3 plain with MTU 1280 (10.0.4.0/24).
    public SuperFrameRoutingTests()
    {
        _probes = Enumerable.Range(0, 4).Select(i => CreateTestProbe($"p{i}")).ToArray();
        _ports = Enumerable.Range(0, 4).Select(i => new Port(i, $"p{i}", _probes[i], i == 3 ? 1280 : 1500, new PortCounters())
        {
            Ipv4Address = Packets.V4($"10.0.{i + 1}.254"),
            Ipv6Address = Packets.V6($"fd00:{i + 1}::fe"),
        }).ToArray();
        var routes = Enumerable.Range(0, 4).SelectMany(i => new[]
        {
            (IpPrefix.Ipv4(Packets.V4($"10.0.{i + 1}.0"), 24), i),
            (IpPrefix.Ipv6(Packets.V6($"fd00:{i + 1}::"), 64), i),
        });
        _router = Sys.ActorOf(RouterActor.Props(_pool, new RouteSnapshot(_ports, routes), new RouterCounters()));
        var all = PortOffloads.PartialChecksum | PortOffloads.TcpV4 | PortOffloads.TcpV6 | PortOffloads.Udp;
        _router.Tell(new PortOffloadsChanged(0, all));
        _router.Tell(new PortOffloadsChanged(1, all));
    }

    [Fact]
    public void A_super_frame_between_offload_devices_passes_whole_with_its_ttl_decremented()
    {
        Send(SuperFrame("10.0.1.5", "10.0.2.5"));
        var batch = _probes[1].ExpectMsg<FrameBatch>();
        Assert.Equal(1, batch.Count);
        Assert.True(batch.Offload(0).IsGso);
        Assert.Equal(GsoSize, batch.Offload(0).GsoSize);
        Assert.Equal(63, batch.Frame(0)[8]);
        Assert.True(Ipv4Packet.TryParse(batch.Frame(0), out var packet) && packet.VerifyHeaderChecksum());
        batch.Release();
    }

    [Theory]
    [InlineData("10.0.1.5", "10.0.3.5")]
    [InlineData("fd00:1::5", "fd00:3::5")]
    public void A_super_frame_for_a_plain_port_leaves_as_checked_segments(string source, string destination)
    {
        Send(SuperFrame(source, destination));
        var gsoSize = GsoSizeFor(source);
        var segments = Collect(_probes[2], (Payload + gsoSize - 1) / gsoSize);
        var seen = 0;
        foreach (var segment in segments)
        {
            Assert.True(Reference.ChecksumsValid(segment), "bad checksum");
            Assert.True(segment.Length <= 1500);
            Assert.Equal(63, segment[0] >> 4 == 4 ? segment[8] : segment[7]);
            seen += segment.Length - (segment[0] >> 4 == 4 ? 40 : 60);
        }
        Assert.Equal(Payload, seen);
    }

    [Fact]
    public void A_super_frame_whose_segments_exceed_the_mtu_gets_fragmentation_needed_when_df_is_set()
    {
        Send(SuperFrame("10.0.1.5", "10.0.4.5"));
        var answer = _probes[0].ExpectMsg<FrameBatch>();
        Assert.Equal(1, answer.Count);
        Assert.False(answer.Offload(0).IsGso);
        Assert.Equal(1, answer.Frame(0)[9]); // ICMP
        Assert.Equal(3, answer.Frame(0)[20]); // destination unreachable
        Assert.Equal(4, answer.Frame(0)[21]); // fragmentation needed
        answer.Release();
    }

    [Fact]
    public void Without_df_a_super_frame_is_cut_to_fit_the_smaller_mtu()
    {
        Send(SuperFrame("10.0.1.5", "10.0.4.5", dontFragment: false));
        var total = 0;
        while (total < Payload)
        {
            var batch = _probes[3].ExpectMsg<FrameBatch>();
            for (var i = 0; i < batch.Count; i++)
            {
                var segment = batch.Frame(i).ToArray();
                Assert.True(segment.Length <= 1280);
                Assert.True(Reference.ChecksumsValid(segment));
                total += segment.Length - 40;
            }
            batch.Release();
        }
        Assert.Equal(Payload, total);
    }

    [Fact]
    public void Without_df_the_datagrams_of_a_udp_super_frame_keep_their_size_and_are_fragmented_for_the_smaller_mtu()
    {
        // Each UDP segment is one datagram: cutting the super-frame finer would change what the application receives.
        const int datagram = 1400;
        var spec = new UdpSpec { Source = "10.0.1.5", Destination = "10.0.4.5", Payload = Packets.Pattern(3 * datagram) };
        Send(Reference.SuperFrame(spec.Build(), VirtioGsoType.UdpL4, datagram, 17));

        var fragments = Collect(_probes[3], 6).Select(f => new PacketDotNet.IPv4Packet(new PacketDotNet.Utils.ByteArraySegment(f))).ToList();
        Assert.All(fragments, f => Assert.True(f.TotalLength <= 1280 && f.TimeToLive == 63 && f.ValidChecksum));
        // PacketDotNet counts the header length in 32-bit words.
        var datagrams = fragments.GroupBy(f => f.Id)
            .Select(g => g.OrderBy(f => f.FragmentOffset).SelectMany(f => f.Bytes.AsSpan(f.HeaderLength * 4, f.TotalLength - f.HeaderLength * 4).ToArray()).ToArray())
            .ToList();
        Assert.Equal(3, datagrams.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(8 + datagram, datagrams[i].Length);
            Assert.Equal(spec.Payload.AsSpan(i * datagram, datagram).ToArray(), datagrams[i][8..]);
        }
        Assert.Equal(0, _ports[0].Counters.TotalDrops);
    }

    [Fact]
    public void A_super_frame_is_cut_into_no_more_than_an_eighth_of_the_pools_frames()
    {
        // 64 batches of 64 frames: at most 512 segments. 30,000 bytes at 60 make 500, at 48 make 625.
        Send(Reference.SuperFrame(new TcpSpec { Source = "10.0.1.5", Destination = "10.0.3.5", Payload = Packets.Pattern(30_000) }.Build(), VirtioGsoType.TcpV4, 60, 6));
        Assert.Equal(500, Collect(_probes[2], 500).Count);

        Send(Reference.SuperFrame(new TcpSpec { Source = "10.0.1.5", Destination = "10.0.3.5", Payload = Packets.Pattern(30_000) }.Build(), VirtioGsoType.TcpV4, 48, 6));
        _probes[2].ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.Equal(1, _ports[0].Counters.Drops(DropReason.NoBuffer));
    }

    [Fact]
    public void A_partial_checksum_is_filled_for_a_port_that_cannot_take_it()
    {
        var spec = new TcpSpec { Source = "10.0.1.5", Destination = "10.0.3.5", Payload = Packets.Pattern(300) };
        var frame = Reference.SuperFrame(spec.Build(), VirtioGsoType.None, 0, 6);
        Send(frame);
        var batch = _probes[2].ExpectMsg<FrameBatch>();
        Assert.False(batch.Offload(0).NeedsChecksum);
        Assert.True(Reference.ChecksumsValid(batch.Frame(0).ToArray()));
        batch.Release();
    }

    [Theory]
    [InlineData("10.0.1.5", "10.0.3.5")]
    [InlineData("fd00:1::5", "fd00:3::5")]
    public void A_partial_checksum_packet_with_trailing_bytes_is_trimmed_and_filled_and_the_router_goes_on(string source, string destination)
    {
        // Bytes past the IP length once left the layout longer than the trimmed frame: filling
        // the checksum threw, and the router restarted with an empty table.
        var spec = new UdpSpec { Source = source, Destination = destination, Payload = Packets.Pattern(20) };
        var packet = spec.Build();
        byte[] frame = [.. Reference.SuperFrame(packet, VirtioGsoType.None, 0, 17), .. new byte[100]];
        Send(frame);

        var batch = _probes[2].ExpectMsg<FrameBatch>();
        Assert.Equal(packet.Length, batch.Frame(0).Length);
        Assert.False(batch.Offload(0).NeedsChecksum);
        Assert.True(Reference.ChecksumsValid(batch.Frame(0).ToArray()));
        batch.Release();
        Assert.Equal(0, _ports[0].Counters.TotalDrops);

        Send(Reference.SuperFrame(spec.Build(), VirtioGsoType.None, 0, 17));
        _probes[2].ExpectMsg<FrameBatch>().Release();
    }

    [Fact]
    public void A_partial_checksum_whose_field_lies_in_the_trailing_bytes_is_dropped_as_malformed()
    {
        var packet = new UdpSpec { Source = "10.0.1.5", Destination = "10.0.3.5", Payload = Packets.Pattern(20) }.Build();
        byte[] frame = [.. Reference.SuperFrame(packet, VirtioGsoType.None, 0, 17), .. new byte[100]];
        BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(VirtioNetHeader.Field.ChecksumStart), (ushort)(packet.Length + 10));
        Send(frame);

        _probes[2].ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.Equal(1, _ports[0].Counters.Drops(DropReason.Malformed));
    }

    private static byte[] SuperFrame(string source, string destination, bool dontFragment = true)
    {
        var spec = new TcpSpec { Source = source, Destination = destination, Payload = Packets.Pattern(Payload), DontFragment = dontFragment };
        var type = spec.IsIpv6 ? VirtioGsoType.TcpV6 : VirtioGsoType.TcpV4;
        return Reference.SuperFrame(spec.Build(), type, GsoSizeFor(source), 6);
    }

    // The MSS a 1500-byte link gives: 40 bytes of IPv6 and TCP headers more than IPv4's 20 + 20, less.
    private static int GsoSizeFor(string source) => source.Contains(':') ? 1440 : GsoSize;

    /// <summary>Sends a frame as a device with offloads reads it: the packet, with its validated virtio header's layout.</summary>
    private void Send(byte[] frameWithHeader)
    {
        var layout = GsoSegmenterTests.Validated(frameWithHeader);
        Assert.True(_pool.TryRent(out var batch));
        batch.IngressPort = 0;
        batch.TryAppendCopy(frameWithHeader.AsSpan(VirtioNetHeader.Length));
        batch.Offload(0) = layout;
        _router.Tell(batch);
    }

    private static List<byte[]> Collect(TestProbe probe, int count)
    {
        var frames = new List<byte[]>();
        while (frames.Count < count)
        {
            var batch = probe.ExpectMsg<FrameBatch>();
            for (var i = 0; i < batch.Count; i++) frames.Add(batch.Frame(i).ToArray());
            batch.Release();
        }
        return frames;
    }
}
