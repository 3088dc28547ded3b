using Engine.Actors.Wire;
using Engine.Tests.Offload;
using PacketDotNet;
using Xunit;

namespace Engine.Tests.Wire;

public class TransportViewTests
{
    [Fact]
    public void Tcp_view_reads_what_PacketDotNet_reads()
    {
        var spec = new TcpSpec { Options = TcpSpec.Timestamp(3), Flags = TcpFlags.Ack | TcpFlags.Psh, Payload = Packets.Pattern(100) };
        byte[] packet = spec.Build();
        var reference = (TcpPacket)Reference.Parse(packet).PayloadPacket;

        Assert.True(TcpSegment.TryParse(packet.AsSpan(20), out var tcp));
        Assert.Equal(reference.SourcePort, tcp.SourcePort);
        Assert.Equal(reference.DestinationPort, tcp.DestinationPort);
        Assert.Equal(reference.SequenceNumber, tcp.SequenceNumber);
        Assert.Equal(reference.AcknowledgmentNumber, tcp.AcknowledgmentNumber);
        Assert.Equal(TcpFlags.Ack | TcpFlags.Psh, tcp.Flags);
        Assert.Equal(reference.WindowSize, tcp.Window);
        Assert.Equal(reference.Checksum, tcp.Checksum);
        Assert.Equal(32, tcp.HeaderLength);
        Assert.Equal(TcpSpec.Timestamp(3), tcp.Options.ToArray());
        Assert.Equal(spec.Payload, tcp.Payload.ToArray());
    }

    [Theory]
    [InlineData(0x40)] // data offset 4: shorter than the fixed header
    [InlineData(0xF0)] // data offset 15: 60 bytes, past the end
    public void Tcp_view_refuses_a_data_offset_that_does_not_fit(byte dataOffset)
    {
        byte[] segment = new byte[40];
        segment[12] = dataOffset;
        Assert.False(TcpSegment.TryParse(segment, out _));
        Assert.False(TcpSegment.TryParse(new byte[19], out _));
    }

    [Fact]
    public void Udp_view_reads_what_PacketDotNet_reads_and_stops_at_its_length_field()
    {
        byte[] packet = [.. new UdpSpec { Payload = Packets.Pattern(50) }.Build(), 0xEE, 0xEE];
        var reference = (UdpPacket)Reference.Parse(packet[..^2]).PayloadPacket;

        Assert.True(UdpDatagram.TryParse(packet.AsSpan(20), out var udp));
        Assert.Equal(reference.SourcePort, udp.SourcePort);
        Assert.Equal(reference.DestinationPort, udp.DestinationPort);
        Assert.Equal(58, udp.Length);
        Assert.Equal(reference.Checksum, udp.Checksum);
        Assert.Equal(Packets.Pattern(50), udp.Payload.ToArray());
    }

    [Fact]
    public void Udp_view_refuses_a_length_field_that_does_not_fit()
    {
        byte[] datagram = new byte[20];
        datagram[5] = 21;
        Assert.False(UdpDatagram.TryParse(datagram, out _));
        datagram[5] = 7;
        Assert.False(UdpDatagram.TryParse(datagram, out _));
        Assert.False(UdpDatagram.TryParse(new byte[7], out _));
    }
}
