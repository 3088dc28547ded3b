using Engine.Actors.Offload;
using Engine.Actors.Wire;
using Engine.Tests.Wire;
using Xunit;

namespace Engine.Tests.Offload;

public class ChecksumCompletionTests
{
    [Theory]
    [InlineData("10.0.0.1", "10.0.0.2", 1000)]
    [InlineData("10.0.0.1", "10.0.0.2", 333)]
    [InlineData("2001:db8::1", "2001:db8::2", 1000)]
    public void Completes_a_partial_tcp_checksum_to_the_one_PacketDotNet_computes(string source, string destination, int payload)
    {
        byte[] complete = new TcpSpec { Source = source, Destination = destination, Payload = Packets.Pattern(payload) }.Build();
        byte[] frame = Reference.SuperFrame(complete, VirtioGsoType.None, 0, 6);
        var layout = GsoSegmenterTests.Validated(frame);
        Span<byte> packet = frame.AsSpan(VirtioNetHeader.Length);
        Assert.False(Reference.ChecksumsValid(packet.ToArray()));

        Assert.True(ChecksumCompletion.TryComplete(packet, layout));

        Assert.Equal(complete, packet.ToArray());
    }

    [Theory]
    [InlineData("10.0.0.1", "10.0.0.2")]
    [InlineData("2001:db8::1", "2001:db8::2")]
    public void Completes_a_partial_udp_checksum(string source, string destination)
    {
        byte[] complete = new UdpSpec { Source = source, Destination = destination, Payload = Packets.Pattern(777) }.Build();
        byte[] frame = Reference.SuperFrame(complete, VirtioGsoType.None, 0, 17);
        var layout = GsoSegmenterTests.Validated(frame);

        Assert.True(ChecksumCompletion.TryComplete(frame.AsSpan(VirtioNetHeader.Length), layout));

        Assert.True(Reference.ChecksumsValid(frame[VirtioNetHeader.Length..]));
        Assert.Equal(complete, frame[VirtioNetHeader.Length..]);
    }

    [Fact]
    public void A_packet_without_needs_csum_is_left_as_it_is()
    {
        byte[] packet = new TcpSpec().Build();
        byte[] frame = new byte[VirtioNetHeader.Length + packet.Length];
        packet.CopyTo(frame, VirtioNetHeader.Length);
        var layout = GsoSegmenterTests.Validated(frame);

        Assert.True(ChecksumCompletion.TryComplete(frame.AsSpan(VirtioNetHeader.Length), layout));
        Assert.Equal(packet, frame[VirtioNetHeader.Length..]);
    }

    [Fact]
    public void Refuses_a_field_outside_the_packet_and_changes_nothing()
    {
        byte[] packet = new TcpSpec().Build();
        byte[] copy = packet.ToArray();

        Assert.False(ChecksumCompletion.TryComplete(packet, packet.Length - 1, 0));
        Assert.False(ChecksumCompletion.TryComplete(packet, 20, packet.Length));
        Assert.False(ChecksumCompletion.TryComplete(packet, -1, 16));
        Assert.Equal(copy, packet);
    }

    [Fact]
    public void A_sum_that_folds_to_zero_is_stored_as_all_ones()
    {
        // Payload chosen so that the segment plus pseudo-header sums to 0xFFFF: the field then
        // computes to 0x0000, which UDP cannot carry (it means "no checksum").
        byte[] packet = new UdpSpec { Payload = new byte[8] }.Build();
        packet[20 + 6] = 0;
        packet[20 + 7] = 0;
        ushort partial = Reference.PseudoHeaderSum(packet, 16, 17);
        uint rest = Engine.Actors.Wire.InternetChecksum.Sum(packet.AsSpan(20), partial);
        ushort fill = (ushort)(0xFFFF - rest);
        packet[28] = (byte)(fill >> 8);
        packet[29] = (byte)fill;
        packet[20 + 6] = (byte)(partial >> 8);
        packet[20 + 7] = (byte)partial;

        Assert.True(ChecksumCompletion.TryComplete(packet, 20, 6));

        Assert.Equal(0xFF, packet[26]);
        Assert.Equal(0xFF, packet[27]);
        Assert.True(Reference.ChecksumsValid(packet));
    }
}
