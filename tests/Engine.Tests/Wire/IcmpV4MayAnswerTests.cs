using System.Buffers.Binary;
using Engine.Actors.Wire;
using Xunit;
using PacketDotNet;

namespace Engine.Tests.Wire;

public class IcmpV4MayAnswerTests
{
    [Fact]
    public void Answers_ordinary_unicast_traffic()
    {
        Assert.True(IcmpV4Error.MayAnswer(Packets.Ipv4Udp("10.1.0.5", "10.2.0.9", 20)));
    }

    [Theory]
    [InlineData(0)]   // echo reply
    [InlineData(8)]   // echo request
    [InlineData(13)]  // timestamp
    [InlineData(18)]  // address mask reply
    public void Answers_icmp_informational_messages(byte type)
    {
        byte[] packet = Packets.Ipv4Icmp("10.1.0.5", "10.2.0.9", IcmpV4TypeCode.EchoRequest);
        packet[20] = type;

        Assert.True(IcmpV4Error.MayAnswer(packet));
    }

    [Theory]
    [InlineData(3)]   // destination unreachable
    [InlineData(4)]   // source quench
    [InlineData(5)]   // redirect
    [InlineData(11)]  // time exceeded
    [InlineData(12)]  // parameter problem
    [InlineData(42)]  // unknown: treated as an error, as Linux does
    public void Never_answers_icmp_errors(byte type)
    {
        byte[] packet = Packets.Ipv4Icmp("10.1.0.5", "10.2.0.9", IcmpV4TypeCode.EchoRequest);
        packet[20] = type;

        Assert.False(IcmpV4Error.MayAnswer(packet));
    }

    [Fact]
    public void Never_answers_icmp_whose_type_is_missing()
    {
        byte[] headerOnly = Packets.Ipv4Icmp("10.1.0.5", "10.2.0.9", IcmpV4TypeCode.EchoRequest)[..20];
        BinaryPrimitives.WriteUInt16BigEndian(headerOnly.AsSpan(2), 20);

        Assert.False(IcmpV4Error.MayAnswer(headerOnly));
    }

    [Fact]
    public void Answers_first_fragments_only()
    {
        byte[] first = Packets.Ipv4Udp("10.1.0.5", "10.2.0.9", 20);
        BinaryPrimitives.WriteUInt16BigEndian(first.AsSpan(6), 0x2000); // MF, offset 0
        byte[] later = Packets.Ipv4Udp("10.1.0.5", "10.2.0.9", 20);
        BinaryPrimitives.WriteUInt16BigEndian(later.AsSpan(6), 0x0001); // last fragment, offset 8

        Assert.True(IcmpV4Error.MayAnswer(first));
        Assert.False(IcmpV4Error.MayAnswer(later));
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("0.1.2.3")]
    [InlineData("127.0.0.1")]
    [InlineData("224.0.0.5")]
    [InlineData("239.255.255.250")]
    [InlineData("240.0.0.1")]
    [InlineData("255.255.255.255")]
    public void Never_answers_a_source_that_is_not_one_host(string source)
    {
        Assert.False(IcmpV4Error.MayAnswer(Packets.Ipv4Udp(source, "10.2.0.9", 20)));
    }

    [Theory]
    [InlineData("224.0.0.1")]
    [InlineData("239.1.2.3")]
    [InlineData("255.255.255.255")]
    public void Never_answers_multicast_or_broadcast_destinations(string destination)
    {
        Assert.False(IcmpV4Error.MayAnswer(Packets.Ipv4Udp("10.1.0.5", destination, 20)));
    }

    [Fact]
    public void Never_answers_malformed_packets()
    {
        byte[] packet = Packets.Ipv4Udp("10.1.0.5", "10.2.0.9", 20);

        Assert.False(IcmpV4Error.MayAnswer(packet.AsSpan(0, 19)));
        Assert.False(IcmpV4Error.MayAnswer(packet.AsSpan(0, packet.Length - 1)));
        packet[0] = 0x44;
        Assert.False(IcmpV4Error.MayAnswer(packet));
    }
}
