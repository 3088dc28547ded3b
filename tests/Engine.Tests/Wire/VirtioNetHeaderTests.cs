using System.Buffers.Binary;
using Engine.Actors.Wire;
using Engine.Tests.Offload;
using Xunit;

namespace Engine.Tests.Wire;

public class VirtioNetHeaderTests
{
    [Fact]
    public void Reads_little_endian_fields_as_the_kernel_writes_them()
    {
        byte[] bytes = [0x01, 0x81, 0x36, 0x00, 0xa8, 0x05, 0x14, 0x00, 0x10, 0x00, 0xEE];

        Assert.True(VirtioNetHeader.TryParse(bytes, out var header));
        Assert.Equal(VirtioNetFlags.NeedsChecksum, header.Flags);
        Assert.True(header.NeedsChecksum);
        Assert.Equal(VirtioGsoType.TcpV4, header.GsoType);
        Assert.True(header.Ecn);
        Assert.Equal(54, header.HeaderLength);
        Assert.Equal(1448, header.GsoSize);
        Assert.Equal(20, header.ChecksumStart);
        Assert.Equal(16, header.ChecksumOffset);
    }

    [Fact]
    public void MoveBehind_counts_a_link_header_in_the_offsets_that_are_set()
    {
        var superFrame = new byte[VirtioNetHeader.Length];
        VirtioNetHeader.Write(superFrame, VirtioNetFlags.NeedsChecksum, VirtioGsoType.UdpL4, 28, 1000, 20, 6);
        var partial = new byte[VirtioNetHeader.Length];
        VirtioNetHeader.Write(partial, VirtioNetFlags.NeedsChecksum, VirtioGsoType.None, 0, 0, 40, 16);
        var finished = new byte[VirtioNetHeader.Length];

        VirtioNetHeader.MoveBehind(superFrame, 14);
        VirtioNetHeader.MoveBehind(partial, 14);
        VirtioNetHeader.MoveBehind(finished, 14);

        Assert.True(VirtioNetHeader.TryParse(superFrame, out var gso));
        Assert.Equal((42, 1000, 34, 6), ((int)gso.HeaderLength, (int)gso.GsoSize, (int)gso.ChecksumStart, (int)gso.ChecksumOffset));
        Assert.True(VirtioNetHeader.TryParse(partial, out var csum));
        Assert.Equal((0, 54, 16), ((int)csum.HeaderLength, (int)csum.ChecksumStart, (int)csum.ChecksumOffset));
        Assert.Equal(new byte[VirtioNetHeader.Length], finished);
    }

    [Fact]
    public void Refuses_fewer_than_ten_bytes()
    {
        Assert.False(VirtioNetHeader.TryParse(new byte[9], out _));
        Assert.True(VirtioNetHeader.TryParse(new byte[10], out _));
    }

    [Fact]
    public void Write_then_parse_gives_back_every_field_and_touches_nothing_after_the_header()
    {
        var bytes = new byte[12];
        bytes[10] = 0x77;
        VirtioNetHeader.Write(bytes, VirtioNetFlags.NeedsChecksum, VirtioGsoType.TcpV6, 74, 1428, 40, 16);

        Assert.Equal([0x01, 0x04, 74, 0, 0x94, 0x05, 40, 0, 16, 0], bytes[..10]);
        Assert.Equal(0x77, bytes[10]);
        Assert.True(VirtioNetHeader.TryParse(bytes, out var header));
        Assert.Equal(VirtioGsoType.TcpV6, header.GsoType);
        Assert.False(header.Ecn);
        Assert.Equal(1428, header.GsoSize);
    }

    [Fact]
    public void WriteNone_clears_the_header()
    {
        var bytes = Enumerable.Repeat((byte)0xFF, 10).ToArray();
        VirtioNetHeader.WriteNone(bytes);
        Assert.All(bytes, b => Assert.Equal(0, b));
    }

    [Fact]
    public void A_tcp_super_frame_gets_its_real_header_lengths_whatever_hdr_len_claims()
    {
        var spec = new TcpSpec { Options = TcpSpec.Timestamp(9), Payload = Packets.Pattern(4000) };
        byte[] frame = Reference.SuperFrame(spec.Build(), VirtioGsoType.TcpV4, 1000, 6);
        BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(VirtioNetHeader.Field.HeaderLength), 128);

        var check = Validate(frame, out var layout);

        Assert.Equal(VirtioHeaderCheck.Valid, check);
        Assert.Equal(new VirtioFrameLayout(VirtioGsoType.TcpV4, 1000, true, 20, 16, 20 + 32 + 4000, 4, 20, 32, IpProtocol.Tcp), layout);
        Assert.Equal(52, layout.HeadersLength);
        Assert.Equal(4000, layout.PayloadLength);
        Assert.Equal(4, layout.SegmentCount);
    }

    [Fact]
    public void Udp_l4_super_frames_of_both_families_are_valid()
    {
        byte[] v4 = Reference.SuperFrame(new UdpSpec().Build(), VirtioGsoType.UdpL4, 1200, 17);
        byte[] v6 = Reference.SuperFrame(new UdpSpec { Source = "2001:db8::1", Destination = "2001:db8::2" }.Build(), VirtioGsoType.UdpL4, 1200, 17);

        Assert.Equal(VirtioHeaderCheck.Valid, Validate(v4, out var l4));
        Assert.Equal(VirtioHeaderCheck.Valid, Validate(v6, out var l6));
        Assert.Equal((4, 20, 8, 3), (l4.IpVersion, l4.TransportOffset, l4.TransportHeaderLength, l4.SegmentCount));
        Assert.Equal((6, 40, 8, IpProtocol.Udp), (l6.IpVersion, l6.TransportOffset, l6.TransportHeaderLength, l6.Protocol));
    }

    [Fact]
    public void A_plain_packet_with_a_partial_checksum_is_checked_for_bounds_only()
    {
        byte[] frame = Reference.SuperFrame(new TcpSpec().Build(), VirtioGsoType.None, 0, 6);
        BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(VirtioNetHeader.Field.GsoSize), 999);

        Assert.Equal(VirtioHeaderCheck.Valid, Validate(frame, out var layout));
        Assert.False(layout.IsGso);
        Assert.True(layout.NeedsChecksum);
        Assert.Equal((20, 16, 1040), (layout.ChecksumStart, layout.ChecksumOffset, layout.PacketLength));
        Assert.Equal(1, layout.SegmentCount);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(6)]
    [InlineData(0x7F)]
    public void Refuses_an_unknown_gso_type(byte type) =>
        Assert.Equal(VirtioHeaderCheck.UnknownGsoType, ValidateTcpV4With(f => f[VirtioNetHeader.Field.GsoType] = type));

    [Fact]
    public void Refuses_udp_fragmentation_offload() =>
        Assert.Equal(VirtioHeaderCheck.UdpFragmentationOffload, ValidateTcpV4With(f => f[VirtioNetHeader.Field.GsoType] = 3));

    [Fact]
    public void Refuses_an_unknown_flag() =>
        Assert.Equal(VirtioHeaderCheck.UnknownFlags, ValidateTcpV4With(f => f[VirtioNetHeader.Field.Flags] |= 0x04));

    [Theory]
    [InlineData(VirtioGsoType.TcpV4, VirtioHeaderCheck.Valid)]
    [InlineData(VirtioGsoType.None, VirtioHeaderCheck.EcnWithoutTcp)]
    [InlineData(VirtioGsoType.UdpL4, VirtioHeaderCheck.EcnWithoutTcp)]
    public void Accepts_the_ecn_bit_on_tcp_segmentation_only(VirtioGsoType type, VirtioHeaderCheck expected) =>
        Assert.Equal(expected, ValidateTcpV4With(f => f[VirtioNetHeader.Field.GsoType] = (byte)((byte)type | VirtioNetHeader.EcnBit)));

    [Fact]
    public void Refuses_segmentation_with_gso_size_zero() =>
        Assert.Equal(VirtioHeaderCheck.ZeroGsoSize, ValidateTcpV4With(f => SetField(f, VirtioNetHeader.Field.GsoSize, 0)));

    [Fact]
    public void Refuses_a_gso_size_larger_than_the_payload()
    {
        // 4000 payload bytes behind 40 header bytes: 4000 is one segment, 4001 is a lie.
        Assert.Equal(VirtioHeaderCheck.Valid, ValidateTcpV4With(f => SetField(f, VirtioNetHeader.Field.GsoSize, 4000)));
        Assert.Equal(VirtioHeaderCheck.GsoSizeLargerThanPayload, ValidateTcpV4With(f => SetField(f, VirtioNetHeader.Field.GsoSize, 4001)));
        Assert.Equal(VirtioHeaderCheck.GsoSizeLargerThanPayload, ValidateTcpV4With(f => SetField(f, VirtioNetHeader.Field.GsoSize, 65000)));
    }

    [Fact]
    public void Refuses_a_tcp_gso_size_below_the_smallest_mss_the_kernel_sends()
    {
        Assert.Equal(VirtioHeaderCheck.Valid, ValidateTcpV4With(f => SetField(f, VirtioNetHeader.Field.GsoSize, VirtioNetHeader.MinTcpGsoSize)));
        Assert.Equal(VirtioHeaderCheck.GsoSizeBelowMinimum, ValidateTcpV4With(f => SetField(f, VirtioNetHeader.Field.GsoSize, VirtioNetHeader.MinTcpGsoSize - 1)));
        Assert.Equal(VirtioHeaderCheck.GsoSizeBelowMinimum, ValidateTcpV4With(f => SetField(f, VirtioNetHeader.Field.GsoSize, 1)));
    }

    [Fact]
    public void Refuses_a_udp_super_frame_of_more_segments_than_the_kernel_builds()
    {
        // 1280 payload bytes: 10-byte segments make 128 of them, 9-byte ones 143.
        byte[] Udp(ushort gsoSize) => Reference.SuperFrame(new UdpSpec { Payload = Packets.Pattern(1280) }.Build(), VirtioGsoType.UdpL4, gsoSize, 17);
        Assert.Equal(VirtioHeaderCheck.Valid, Validate(Udp(10), out var layout));
        Assert.Equal(VirtioNetHeader.MaxUdpSegments, layout.SegmentCount);
        Assert.Equal(VirtioHeaderCheck.TooManySegments, Validate(Udp(9), out _));
        Assert.Equal(VirtioHeaderCheck.TooManySegments, Validate(Udp(1), out _));
    }

    [Fact]
    public void Refuses_a_checksum_start_or_offset_past_the_end()
    {
        // 4040-byte packet: the last 2-byte field starts at 4038.
        Assert.Equal(VirtioHeaderCheck.ChecksumOutsidePacket, ValidateTcpV4With(f => SetField(f, VirtioNetHeader.Field.ChecksumStart, 4039)));
        Assert.Equal(VirtioHeaderCheck.ChecksumOutsidePacket, ValidateTcpV4With(f => SetField(f, VirtioNetHeader.Field.ChecksumOffset, 4020)));
        Assert.Equal(VirtioHeaderCheck.ChecksumOutsidePacket, ValidateTcpV4With(f =>
        {
            SetField(f, VirtioNetHeader.Field.ChecksumStart, 0xFFFF);
            SetField(f, VirtioNetHeader.Field.ChecksumOffset, 0xFFFF);
        }));
    }

    [Fact]
    public void Refuses_a_plain_packet_whose_checksum_field_is_past_the_end()
    {
        byte[] frame = Reference.SuperFrame(new TcpSpec().Build(), VirtioGsoType.None, 0, 6);
        SetField(frame, VirtioNetHeader.Field.ChecksumStart, 1039);
        Assert.Equal(VirtioHeaderCheck.ChecksumOutsidePacket, Validate(frame, out _));
    }

    [Fact]
    public void Refuses_a_super_frame_whose_checksum_field_is_not_its_tcp_checksum()
    {
        Assert.Equal(VirtioHeaderCheck.ChecksumFieldMismatch, ValidateTcpV4With(f => SetField(f, VirtioNetHeader.Field.ChecksumStart, 24)));
        Assert.Equal(VirtioHeaderCheck.ChecksumFieldMismatch, ValidateTcpV4With(f => SetField(f, VirtioNetHeader.Field.ChecksumOffset, 6)));
    }

    [Fact]
    public void Refuses_a_gso_type_that_does_not_match_the_packet()
    {
        byte[] v6 = Reference.SuperFrame(new TcpSpec { Source = "2001:db8::1", Destination = "2001:db8::2", Payload = Packets.Pattern(3000) }.Build(), VirtioGsoType.TcpV4, 1000, 6);
        byte[] v4AsV6 = Reference.SuperFrame(new TcpSpec { Payload = Packets.Pattern(3000) }.Build(), VirtioGsoType.TcpV6, 1000, 6);
        byte[] udpAsTcp = Reference.SuperFrame(new UdpSpec().Build(), VirtioGsoType.TcpV4, 1000, 17);
        byte[] tcpAsUdp = Reference.SuperFrame(new TcpSpec { Payload = Packets.Pattern(3000) }.Build(), VirtioGsoType.UdpL4, 1000, 6);

        Assert.Equal(VirtioHeaderCheck.ProtocolMismatch, Validate(v6, out _));
        Assert.Equal(VirtioHeaderCheck.ProtocolMismatch, Validate(v4AsV6, out _));
        Assert.Equal(VirtioHeaderCheck.ProtocolMismatch, Validate(udpAsTcp, out _));
        Assert.Equal(VirtioHeaderCheck.ProtocolMismatch, Validate(tcpAsUdp, out _));
    }

    [Fact]
    public void Refuses_a_super_frame_whose_headers_do_not_parse()
    {
        const int tcp = VirtioNetHeader.Length + 20;
        Assert.Equal(VirtioHeaderCheck.MalformedPacket, ValidateTcpV4With(f => f[tcp + 12] = 0x40));      // data offset 4
        Assert.Equal(VirtioHeaderCheck.MalformedPacket, ValidateTcpV4With(f => f[VirtioNetHeader.Length] = 0x75)); // version 7
        Assert.Equal(VirtioHeaderCheck.MalformedPacket, ValidateTcpV4With(f => SetBigEndian(f, VirtioNetHeader.Length + 2, 5000))); // total length past the end

        byte[] udp = Reference.SuperFrame(new UdpSpec().Build(), VirtioGsoType.UdpL4, 1000, 17);
        SetBigEndian(udp, VirtioNetHeader.Length + 20 + 4, 1008); // UDP length covers only the first segment
        Assert.Equal(VirtioHeaderCheck.MalformedPacket, Validate(udp, out _));

        byte[] tooShort = Reference.SuperFrame(new TcpSpec().Build(), VirtioGsoType.TcpV4, 500, 6);
        Assert.Equal(VirtioHeaderCheck.MalformedPacket, Validate(tooShort.AsSpan(0, VirtioNetHeader.Length + 40).ToArray(), out _));
    }

    [Fact]
    public void Refuses_an_ipv4_fragment_as_a_super_frame() =>
        Assert.Equal(VirtioHeaderCheck.Fragment, ValidateTcpV4With(f => f[VirtioNetHeader.Length + 6] |= 0x20));

    [Fact]
    public void Refuses_an_ipv6_super_frame_with_extension_headers()
    {
        byte[] frame = Reference.SuperFrame(new TcpSpec { Source = "2001:db8::1", Destination = "2001:db8::2", Payload = Packets.Pattern(3000) }.Build(), VirtioGsoType.TcpV6, 1000, 6);
        frame[VirtioNetHeader.Length + 6] = (byte)IpProtocol.HopByHop;
        Assert.Equal(VirtioHeaderCheck.ExtensionHeaders, Validate(frame, out _));
    }

    private static VirtioHeaderCheck Validate(byte[] frame, out VirtioFrameLayout layout)
    {
        Assert.True(VirtioNetHeader.TryParse(frame, out var header));
        return header.Validate(frame.AsSpan(VirtioNetHeader.Length), out layout);
    }

    /// <summary>A valid TCPV4 super-frame (40 header bytes, 4000 payload, gso_size 1000) with one lie added.</summary>
    private static VirtioHeaderCheck ValidateTcpV4With(Action<byte[]> lie)
    {
        byte[] frame = Reference.SuperFrame(new TcpSpec { Payload = Packets.Pattern(4000) }.Build(), VirtioGsoType.TcpV4, 1000, 6);
        lie(frame);
        return Validate(frame, out _);
    }

    private static void SetField(byte[] frame, int offset, ushort value) =>
        BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(offset), value);

    private static void SetBigEndian(byte[] frame, int offset, ushort value) =>
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(offset), value);
}
