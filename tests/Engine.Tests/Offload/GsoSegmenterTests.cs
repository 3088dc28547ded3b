using Engine.Actors.Offload;
using Engine.Actors.Wire;
using Engine.Tests.Wire;
using PacketDotNet;
using Xunit;

namespace Engine.Tests.Offload;

public class GsoSegmenterTests
{
    private const TcpFlags AllEdgeFlags = TcpFlags.Ack | TcpFlags.Psh | TcpFlags.Fin | TcpFlags.Cwr;

    [Fact]
    public void Cuts_a_tcp_v4_super_frame_into_the_packets_the_kernel_would_have_sent()
    {
        var spec = new TcpSpec { Options = TcpSpec.Timestamp(31), Flags = AllEdgeFlags, Id = 0x7000, Payload = Packets.Pattern(3500) };

        var segments = Segment(spec, VirtioGsoType.TcpV4, 1000);

        Assert.Equal(4, segments.Count);
        int[] sizes = [1000, 1000, 1000, 500];
        TcpFlags[] flags = [TcpFlags.Ack | TcpFlags.Cwr, TcpFlags.Ack, TcpFlags.Ack, TcpFlags.Ack | TcpFlags.Psh | TcpFlags.Fin];
        for (int i = 0; i < 4; i++)
        {
            var expected = spec with
            {
                Id = (ushort)(0x7000 + i),
                Sequence = spec.Sequence + (uint)(i * 1000),
                Flags = flags[i],
                Payload = spec.Payload[(i * 1000)..(i * 1000 + sizes[i])],
            };
            var ip = (IPv4Packet)Reference.Parse(segments[i]);
            var tcp = (TcpPacket)ip.PayloadPacket;
            Assert.Equal(20 + 32 + sizes[i], ip.TotalLength);
            Assert.Equal(0x7000 + i, ip.Id);
            Assert.Equal(spec.Sequence + (uint)(i * 1000), tcp.SequenceNumber);
            Assert.Equal(spec.Acknowledgment, tcp.AcknowledgmentNumber);
            Assert.Equal((byte)flags[i], (byte)tcp.Flags);
            Assert.Equal(expected.Payload, tcp.PayloadData);
            Assert.True(ip.ValidIPChecksum);
            Assert.True(tcp.ValidTcpChecksum);
            Assert.Equal(expected.Build(), segments[i]);
        }
    }

    [Fact]
    public void Cuts_a_tcp_v6_super_frame_with_payload_length_sequence_and_checksum_per_segment()
    {
        var spec = new TcpSpec
        {
            Source = "2001:db8::1", Destination = "2001:db8::2",
            TrafficClass = 0x28, FlowLabel = 0x12345, Flags = TcpFlags.Ack | TcpFlags.Psh, Payload = Packets.Pattern(4 * 1420),
        };

        var segments = Segment(spec, VirtioGsoType.TcpV6, 1420);

        Assert.Equal(4, segments.Count);
        for (int i = 0; i < 4; i++)
        {
            var ip = (IPv6Packet)Reference.Parse(segments[i]);
            var tcp = (TcpPacket)ip.PayloadPacket;
            Assert.Equal(20 + 1420, ip.PayloadLength);
            Assert.Equal(0x12345, ip.FlowLabel);
            Assert.Equal(spec.Sequence + (uint)(i * 1420), tcp.SequenceNumber);
            Assert.Equal(i == 3, tcp.Push);
            Assert.True(tcp.ValidTcpChecksum);
            var expected = spec with
            {
                Sequence = spec.Sequence + (uint)(i * 1420),
                Flags = i == 3 ? TcpFlags.Ack | TcpFlags.Psh : TcpFlags.Ack,
                Payload = spec.Payload[(i * 1420)..((i + 1) * 1420)],
            };
            Assert.Equal(expected.Build(), segments[i]);
        }
    }

    [Theory]
    [InlineData("10.1.1.1", "10.2.2.2")]
    [InlineData("2001:db8::10", "2001:db8::20")]
    public void Cuts_a_udp_l4_super_frame_into_datagrams_with_their_own_length_and_checksum(string source, string destination)
    {
        var spec = new UdpSpec { Source = source, Destination = destination, Id = 0x0100, Payload = Packets.Pattern(2500) };
        byte[] frame = Reference.SuperFrame(spec.Build(), VirtioGsoType.UdpL4, 1200, 17);

        var segments = SegmentFrame(frame);

        Assert.Equal(3, segments.Count);
        int[] sizes = [1200, 1200, 100];
        for (int i = 0; i < 3; i++)
        {
            var udp = (UdpPacket)Reference.Parse(segments[i]).PayloadPacket;
            Assert.Equal(8 + sizes[i], udp.Length);
            Assert.True(udp.ValidUdpChecksum);
            var expected = spec with { Id = (ushort)(0x0100 + i), Payload = spec.Payload[(i * 1200)..(i * 1200 + sizes[i])] };
            Assert.Equal(expected.Build(), segments[i]);
        }
    }

    [Fact]
    public void Sequence_numbers_and_ipv4_ids_wrap_around()
    {
        var spec = new TcpSpec { Sequence = uint.MaxValue - 999, Id = 0xFFFF, Payload = Packets.Pattern(3000) };

        var segments = Segment(spec, VirtioGsoType.TcpV4, 1000);

        var ids = segments.Select(s => ((IPv4Packet)Reference.Parse(s)).Id).ToArray();
        var sequences = segments.Select(s => ((TcpPacket)Reference.Parse(s).PayloadPacket).SequenceNumber).ToArray();
        Assert.Equal(new ushort[] { 0xFFFF, 0, 1 }, ids);
        Assert.Equal(new uint[] { uint.MaxValue - 999, 0, 1000 }, sequences);
        Assert.All(segments, s => Assert.True(Reference.ChecksumsValid(s)));
    }

    [Fact]
    public void A_super_frame_of_one_segment_keeps_every_flag()
    {
        var spec = new TcpSpec { Flags = AllEdgeFlags, Payload = Packets.Pattern(900) };

        var segments = Segment(spec, VirtioGsoType.TcpV4, 900);

        Assert.Equal(spec.Build(), Assert.Single(segments));
    }

    [Fact]
    public void Stops_when_the_sink_runs_out_and_what_it_committed_is_sendable()
    {
        byte[] frame = Reference.SuperFrame(new TcpSpec { Payload = Packets.Pattern(4000) }.Build(), VirtioGsoType.TcpV4, 1000, 6);
        var layout = Validated(frame);
        var sink = new ListSink(capacity: 2);

        var result = GsoSegmenter.Segment(frame.AsSpan(VirtioNetHeader.Length), layout, ref sink, out int count);

        Assert.Equal(SegmentResult.OutOfBuffers, result);
        Assert.Equal(2, count);
        Assert.Equal(2, sink.Segments.Count);
        Assert.All(sink.Segments, s => Assert.True(Reference.ChecksumsValid(s)));
    }

    [Fact]
    public void Refuses_buffers_smaller_than_a_segment()
    {
        byte[] frame = Reference.SuperFrame(new TcpSpec { Payload = Packets.Pattern(4000) }.Build(), VirtioGsoType.TcpV4, 1000, 6);
        var layout = Validated(frame);
        var sink = new ListSink(bufferSize: 1039);

        var result = GsoSegmenter.Segment(frame.AsSpan(VirtioNetHeader.Length), layout, ref sink, out int count);

        Assert.Equal(SegmentResult.OutOfBuffers, result);
        Assert.Equal(0, count);
    }

    [Fact]
    public void Leaves_a_packet_that_is_not_a_super_frame_alone()
    {
        byte[] frame = Reference.SuperFrame(new TcpSpec().Build(), VirtioGsoType.None, 0, 6);
        var layout = Validated(frame);
        var sink = new ListSink();

        Assert.Equal(SegmentResult.NotGso, GsoSegmenter.Segment(frame.AsSpan(VirtioNetHeader.Length), layout, ref sink, out int count));
        Assert.Equal(0, count);
        Assert.Empty(sink.Segments);
    }

    [Fact]
    public void Slot_sink_segments_match_list_sink_segments()
    {
        byte[] frame = Reference.SuperFrame(new TcpSpec { Payload = Packets.Pattern(2600) }.Build(), VirtioGsoType.TcpV4, 1300, 6);
        var layout = Validated(frame);
        var space = new byte[4 * 1500];
        var lengths = new int[4];
        var sink = new SlotSink(space, 1500, lengths);

        Assert.Equal(SegmentResult.Done, GsoSegmenter.Segment(frame.AsSpan(VirtioNetHeader.Length), layout, ref sink, out int count));

        var viaList = SegmentFrame(frame);
        Assert.Equal(2, count);
        Assert.Equal(2, sink.Count);
        Assert.Equal(viaList[0], sink.Segment(0).ToArray());
        Assert.Equal(viaList[1], sink.Segment(1).ToArray());
    }

    private static List<byte[]> Segment(TcpSpec spec, VirtioGsoType type, int gsoSize) =>
        SegmentFrame(Reference.SuperFrame(spec.Build(), type, gsoSize, 6));

    internal static List<byte[]> SegmentFrame(byte[] frame)
    {
        var layout = Validated(frame);
        var sink = new ListSink();
        Assert.Equal(SegmentResult.Done, GsoSegmenter.Segment(frame.AsSpan(VirtioNetHeader.Length), layout, ref sink, out int count));
        Assert.Equal(layout.SegmentCount, count);
        return sink.Segments;
    }

    internal static VirtioFrameLayout Validated(byte[] frame)
    {
        Assert.True(VirtioNetHeader.TryParse(frame, out var header));
        Assert.Equal(VirtioHeaderCheck.Valid, header.Validate(frame.AsSpan(VirtioNetHeader.Length), out var layout));
        return layout;
    }
}
