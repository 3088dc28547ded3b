using Engine.Actors.Offload;
using Engine.Actors.Wire;
using Engine.Tests.Wire;
using Xunit;
using static Engine.Tests.Offload.Streams;

namespace Engine.Tests.Offload;

public class TcpCoalescerTests
{
    private static readonly TcpSpec V4 = new();
    private static readonly TcpSpec V6 = new() { Source = "2001:db8::1", Destination = "2001:db8::2", FlowLabel = 0xBEEF, Options = TcpSpec.Timestamp(5) };

    [Fact]
    public void Merges_consecutive_ipv4_segments_into_one_super_frame_with_a_partial_checksum()
    {
        var run = Segments(V4, 1000, 1000, 1000, 1000, 1000);

        var output = Assert.Single(Coalesce(run));

        Assert.Equal(Merged(run, TcpFlags.Ack), output);
        Assert.True(VirtioNetHeader.TryParse(output, out var header));
        Assert.Equal((VirtioNetFlags.NeedsChecksum, VirtioGsoType.TcpV4, 40, 1000, 20, 16),
            (header.Flags, header.GsoType, (int)header.HeaderLength, (int)header.GsoSize, (int)header.ChecksumStart, (int)header.ChecksumOffset));
    }

    [Fact]
    public void Merges_ipv6_segments_with_options_and_a_shorter_last_one()
    {
        var run = Segments(V6, 1208, 1208, 1208, 300);

        var output = Assert.Single(Coalesce(run));

        Assert.Equal(Merged(run, TcpFlags.Ack), output);
        Assert.Equal(VirtioGsoType.TcpV6, (VirtioGsoType)output[VirtioNetHeader.Field.GsoType]);
    }

    [Fact]
    public void The_partial_checksum_completes_to_a_checksum_PacketDotNet_accepts()
    {
        var output = Assert.Single(Coalesce(Segments(V4, 1400, 1400, 700)));

        Assert.True(ChecksumCompletion.TryComplete(output.AsSpan(VirtioNetHeader.Length), 20, 16));

        Assert.True(Reference.ChecksumsValid(output[VirtioNetHeader.Length..]));
    }

    [Fact]
    public void A_shorter_segment_ends_its_super_frame()
    {
        var stream = Segments(V4, 1000, 1000, 400, 1000, 1000);

        var outputs = Coalesce(stream);

        Assert.Equal([Merged(stream[..3], TcpFlags.Ack), Merged(stream[3..], TcpFlags.Ack)], outputs);
    }

    [Fact]
    public void Psh_ends_its_super_frame_and_stays_on_it()
    {
        var stream = Segments(V4, 1000, 1000, 1000, 1000);
        stream[1] = stream[1] with { Flags = TcpFlags.Ack | TcpFlags.Psh };

        var outputs = Coalesce(stream);

        Assert.Equal([Merged(stream[..2], TcpFlags.Ack | TcpFlags.Psh), Merged(stream[2..], TcpFlags.Ack)], outputs);
    }

    [Fact]
    public void Interleaved_flows_each_merge_and_come_out_in_order_of_their_first_packet()
    {
        var a = Segments(V4, 1000, 1000, 1000);
        var b = Segments(V6, 800, 800, 800);

        var outputs = Coalesce([a[0], b[0], a[1], b[1], a[2], b[2]]);

        Assert.Equal([Merged(a, TcpFlags.Ack), Merged(b, TcpFlags.Ack)], outputs);
    }

    [Fact]
    public void A_packet_that_cannot_join_ends_its_flows_super_frame_so_the_flow_keeps_its_order()
    {
        var stream = Segments(V4, 1000, 1000, 1000, 1000, 1000);
        stream[2] = stream[2] with { Flags = TcpFlags.Ack | TcpFlags.Urg };
        var packets = stream.Select(s => s.Build()).ToList();

        var outputs = Coalesce(packets);

        Assert.Equal([Merged(stream[..2], TcpFlags.Ack), Unmerged(packets[2]), Merged(stream[3..], TcpFlags.Ack)], outputs);
    }

    [Fact]
    public void Other_traffic_passes_through_unchanged_behind_an_empty_header()
    {
        var run = Segments(V4, 1000, 1000);
        byte[] udp = new UdpSpec().Build();
        byte[] junk = [0x00, 0x01, 0x02];

        var outputs = Coalesce([run[0].Build(), udp, junk, run[1].Build()]);

        Assert.Equal([Merged(run, TcpFlags.Ack), Unmerged(udp), Unmerged(junk)], outputs);
    }

    [Fact]
    public void A_lone_segment_goes_out_unmerged_without_trailing_link_padding()
    {
        byte[] packet = V4.Build();
        byte[] padded = [.. packet, 0xEE, 0xEE];

        Assert.Equal([Unmerged(packet)], Coalesce([padded]));
    }

    [Fact]
    public void Segments_with_link_padding_merge_without_it()
    {
        var run = Segments(V4, 1000, 1000);
        var padded = run.Select(s => (byte[])[.. s.Build(), 0xEE, 0xEE, 0xEE]).ToList();

        Assert.Equal([Merged(run, TcpFlags.Ack)], Coalesce(padded));
    }

    [Fact]
    public void A_corrupt_segment_is_never_hidden_inside_a_super_frame()
    {
        var stream = Segments(V4, 1000, 1000, 1000, 1000, 1000);
        var packets = stream.Select(s => s.Build()).ToList();
        packets[0][100] ^= 0xFF;
        packets[3][100] ^= 0xFF;

        var outputs = Coalesce(packets);

        Assert.Equal([Unmerged(packets[0]), Merged(stream[1..3], TcpFlags.Ack), Unmerged(packets[3]), Unmerged(packets[4])], outputs);
    }

    [Fact]
    public void A_super_frame_stops_below_the_ip_length_limit()
    {
        var stream = Segments(V4, Enumerable.Repeat(1000, 70).ToArray());

        var outputs = Coalesce(stream);

        // 40 header bytes + 65 × 1000 = 65040; a 66th segment would need 66040.
        Assert.Equal([Merged(stream[..65], TcpFlags.Ack), Merged(stream[65..], TcpFlags.Ack)], outputs);
    }

    [Fact]
    public void A_smaller_length_limit_is_kept()
    {
        var stream = Segments(V4, 1000, 1000, 1000, 1000);

        var outputs = Coalesce(stream.Select(s => s.Build()).ToList(), new TcpCoalescer(maxPacketLength: 3000));

        Assert.Equal([Merged(stream[..2], TcpFlags.Ack), Merged(stream[2..], TcpFlags.Ack)], outputs);
    }

    [Fact]
    public void A_packet_that_hides_its_flow_ends_every_open_super_frame()
    {
        var stream = Segments(V6, 1000, 1000, 1000, 1000);
        byte[] hopByHop = Streams.Mutated(V6.Build(), p => p[6] = (byte)IpProtocol.HopByHop);
        var packets = stream.Select(s => s.Build()).ToList();
        packets.Insert(2, hopByHop);

        var outputs = Coalesce(packets);

        Assert.Equal([Merged(stream[..2], TcpFlags.Ack), Unmerged(hopByHop), Merged(stream[2..], TcpFlags.Ack)], outputs);
    }

    [Fact]
    public void Beyond_the_open_flow_limit_the_oldest_flow_stops_merging()
    {
        var flows = Enumerable.Range(0, TcpCoalescer.MaxOpenFlows + 1)
            .Select(f => Segments(V4 with { SourcePort = (ushort)(30000 + f) }, 1000, 1000))
            .ToList();
        // The 17th flow pushes out the first; its second segment, last, then starts anew.
        var order = flows.Select(f => f[0]).Concat(flows.Skip(1).Select(f => f[1])).Append(flows[0][1]);
        var packets = order.Select(s => s.Build()).ToList();

        var outputs = Coalesce(packets);

        Assert.Equal(TcpCoalescer.MaxOpenFlows + 2, outputs.Count);
        Assert.Equal(Unmerged(flows[0][0].Build()), outputs[0]);
        Assert.Equal(Merged(flows[1], TcpFlags.Ack), outputs[1]);
        Assert.Equal(Merged(flows[^1], TcpFlags.Ack), outputs[^2]);
        Assert.Equal(Unmerged(flows[0][1].Build()), outputs[^1]);
    }

    [Fact]
    public void A_device_taking_ipv4_super_frames_only_gets_ipv6_segments_unmerged()
    {
        var (v4, v6, outputs) = CoalesceInterleaved(IpVersions.Ipv4);

        Assert.Equal([Merged(v4, TcpFlags.Ack), .. v6.Select(s => Unmerged(s.Build()))], outputs);
    }

    [Fact]
    public void A_device_taking_ipv6_super_frames_only_gets_ipv4_segments_unmerged()
    {
        var (v4, v6, outputs) = CoalesceInterleaved(IpVersions.Ipv6);

        Assert.Equal([Unmerged(v4[0].Build()), Merged(v6, TcpFlags.Ack), Unmerged(v4[1].Build()), Unmerged(v4[2].Build())], outputs);
    }

    /// <summary>An IPv4 and an IPv6 run, interleaved, through a coalescer that merges <paramref name="versions"/>.</summary>
    private static (List<TcpSpec> V4Run, List<TcpSpec> V6Run, List<byte[]> Outputs) CoalesceInterleaved(IpVersions versions)
    {
        var v4 = Segments(V4, 1000, 1000, 1000);
        var v6 = Segments(V6, 800, 800, 800);
        TcpSpec[] interleaved = [v4[0], v6[0], v4[1], v6[1], v4[2], v6[2]];
        return (v4, v6, Coalesce(interleaved.Select(s => s.Build()).ToList(), new TcpCoalescer(versions: versions)));
    }

    [Fact]
    public void Reports_each_output_and_refuses_a_destination_too_small()
    {
        var stream = Segments(V4, 1000, 1000, 1000);
        var packets = stream.Select(s => s.Build()).ToList();
        var coalescer = new TcpCoalescer();
        var frames = new FrameList(packets);

        Assert.Equal(1, coalescer.Coalesce(frames));
        Assert.Equal(new CoalescedFrame(0, 3, 3040), coalescer[0]);
        Assert.True(coalescer[0].IsMerged);
        Assert.Equal(3050, coalescer[0].WireLength);

        var small = new byte[3049];
        Assert.False(coalescer.TryWrite(frames, 0, small, out int written));
        Assert.Equal(0, written);
        Assert.All(small, b => Assert.Equal(0, b));
    }

    [Fact]
    public void A_coalescer_is_reused_batch_after_batch_and_grows_for_a_larger_batch()
    {
        var coalescer = new TcpCoalescer();
        var small = Segments(V4, 1000, 1000);
        var large = Segments(V6, Enumerable.Repeat(500, 100).ToArray());

        Assert.Equal([Merged(small, TcpFlags.Ack)], Coalesce(small.Select(s => s.Build()).ToList(), coalescer));
        Assert.Equal([Merged(large, TcpFlags.Ack)], Coalesce(large.Select(s => s.Build()).ToList(), coalescer));
        Assert.Equal([Merged(small, TcpFlags.Ack)], Coalesce(small.Select(s => s.Build()).ToList(), coalescer));
    }

    [Fact]
    public void Refuses_an_output_index_past_the_plan()
    {
        var coalescer = new TcpCoalescer();
        var frames = new FrameList([V4.Build()]);
        Assert.Equal(1, coalescer.Coalesce(frames));

        Assert.Throws<ArgumentOutOfRangeException>(() => coalescer[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => coalescer.TryWrite(frames, 1, new byte[2000], out _));
    }

    [Fact]
    public void Refuses_a_length_limit_outside_what_ip_allows()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TcpCoalescer(65536));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TcpCoalescer(1279));
    }
}
