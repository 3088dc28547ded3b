using System.Buffers.Binary;
using Engine.Actors.Offload;
using Engine.Actors.Wire;
using Engine.Tests.Wire;
using Xunit;
using static Engine.Tests.Offload.UdpStreams;

namespace Engine.Tests.Offload;

public class UdpCoalescerTests
{
    private static readonly UdpSpec V4 = new() { Payload = Packets.Pattern(1200) };
    private static readonly UdpSpec V6 = new() { Source = "fd00::1", Destination = "fd00::2", FlowLabel = 0x5A5A5 };

    [Fact]
    public void A_run_of_equal_datagrams_becomes_one_udp_l4_super_frame()
    {
        var run = Datagrams(V4, 1200, 1200, 1200, 1200);

        byte[] output = Assert.Single(Coalesce(run));

        Assert.Equal(Merged(run), output);
        Assert.True(VirtioNetHeader.TryParse(output, out var header));
        Assert.Equal(VirtioHeaderCheck.Valid, header.Validate(output.AsSpan(VirtioNetHeader.Length), out var layout));
        Assert.Equal((VirtioGsoType.UdpL4, 1200, 4, 28, 20, 6), (layout.GsoType, layout.GsoSize, layout.SegmentCount, layout.HeadersLength, layout.ChecksumStart, layout.ChecksumOffset));
    }

    [Fact]
    public void The_merged_udp_length_and_partial_checksum_cover_the_whole_datagram()
    {
        var run = Datagrams(V6, 1000, 1000, 1000);

        byte[] packet = Assert.Single(Coalesce(run))[VirtioNetHeader.Length..];

        Assert.Equal(8 + 3000, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(44)));
        Assert.Equal(Reference.PseudoHeaderSum(packet, 8 + 3000, 17), BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(46)));
        Assert.Equal(Merged(run), Coalesce(run)[0]);
    }

    [Fact]
    public void A_shorter_last_datagram_joins_and_ends_the_run()
    {
        var run = Datagrams(V4, 1200, 1200, 300, 1200, 1200);

        var outputs = Coalesce(run);

        Assert.Equal([Merged(run[..3]), Merged(run[3..])], outputs);
    }

    [Fact]
    public void A_lone_datagram_goes_out_unchanged()
    {
        byte[] packet = V4.Build();
        Assert.Equal([Streams.Unmerged(packet)], Coalesce([packet]));
    }

    [Fact]
    public void A_run_stops_at_64_datagrams()
    {
        var run = Datagrams(V4 with { DontFragment = true }, Enumerable.Repeat(100, 70).ToArray());

        var outputs = Coalesce(run);

        Assert.Equal([Merged(run[..64]), Merged(run[64..])], outputs);
    }

    [Fact]
    public void A_run_stops_below_the_ip_length_limit()
    {
        // 46 datagrams of 1400 bytes fit in 65535 with the headers, the 47th would not.
        var run = Datagrams(V4, Enumerable.Repeat(1400, 50).ToArray());

        var outputs = Coalesce(run);

        Assert.Equal([Merged(run[..46]), Merged(run[46..])], outputs);
        Assert.True(outputs[0].Length - VirtioNetHeader.Length <= UdpCoalescer.MaxIpLength);
    }

    [Fact]
    public void Interleaved_flows_merge_each_on_its_own_in_order()
    {
        var a = Datagrams(V4, 500, 500, 500);
        var b = Datagrams(V6, 800, 800, 800);
        var c = Datagrams(V4 with { SourcePort = 7000 }, 200, 200);
        var batch = new List<UdpSpec> { a[0], b[0], c[0], a[1], b[1], c[1], a[2], b[2] };

        Assert.Equal([Merged(a), Merged(b), Merged(c)], Coalesce(batch));
    }

    [Fact]
    public void Other_traffic_passes_through_and_does_not_break_a_run()
    {
        var run = Datagrams(V4, 600, 600);
        byte[] tcp = new TcpSpec().Build();

        var outputs = Coalesce([run[0].Build(), tcp, run[1].Build()]);

        Assert.Equal([Merged(run), Streams.Unmerged(tcp)], outputs);
    }

    [Fact]
    public void A_destination_too_small_is_refused_without_writing()
    {
        var run = Datagrams(V4, 1200, 1200);
        var packets = run.Select(s => s.Build()).ToList();
        var coalescer = new UdpCoalescer();
        var frames = new FrameList(packets);
        Assert.Equal(1, coalescer.Coalesce(frames));
        var small = new byte[coalescer[0].WireLength - 1];

        Assert.False(coalescer.TryWrite(frames, 0, small, out int written));
        Assert.Equal(0, written);
        Assert.All(small, b => Assert.Equal(0, b));
        Assert.Equal(new CoalescedFrame(0, 2, 20 + 8 + 2400), coalescer[0]);
    }

    [Fact]
    public void Bytes_after_the_ip_packet_in_a_frame_are_left_out()
    {
        var run = Datagrams(V4, 700, 700);
        var padded = run.Select(s => (byte[])[.. s.Build(), 0xEE, 0xEE, 0xEE]).ToList();

        Assert.Equal([Merged(run)], Coalesce(padded));
    }
}
