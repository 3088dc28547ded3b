using System.Buffers.Binary;
using Engine.Actors.Wire;
using Xunit;
using PacketDotNet;

namespace Engine.Tests.Wire;

public class IcmpV6MayAnswerTests
{
    private const string Sender = "2001:db8:1::5";
    private const string Target = "2001:db8:2::9";

    /// <summary>
    /// An ICMPv6 message of <paramref name="icmpType"/> behind the given extension headers,
    /// each 8 bytes long: 0 (hop-by-hop), 60 (destination options) or 44 (fragment at
    /// <paramref name="fragmentOffset"/>).
    /// </summary>
    private static byte[] BehindExtensionHeaders(byte icmpType, byte[] extensionHeaders, ushort fragmentOffset = 0)
    {
        var bytes = new byte[40 + 8 * extensionHeaders.Length + 8];
        bytes[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(4), (ushort)(bytes.Length - 40));
        bytes[7] = 64;
        System.Net.IPAddress.Parse(Sender).GetAddressBytes().CopyTo(bytes, 8);
        System.Net.IPAddress.Parse(Target).GetAddressBytes().CopyTo(bytes, 24);

        int nextHeaderAt = 6;
        int offset = 40;
        foreach (byte header in extensionHeaders)
        {
            bytes[nextHeaderAt] = header;
            nextHeaderAt = offset;
            if (header == 44)
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(offset + 2), (ushort)(fragmentOffset << 3));
            else
                (bytes[offset + 2], bytes[offset + 3]) = ((byte)1, (byte)4); // PadN filling the rest
            offset += 8;
        }
        bytes[nextHeaderAt] = 58;
        bytes[offset] = icmpType;
        return bytes;
    }

    [Fact]
    public void Answers_ordinary_unicast_traffic()
    {
        Assert.True(IcmpV6Error.MayAnswer(Packets.Ipv6Udp(Sender, Target, 20)));
    }

    [Theory]
    [InlineData(IcmpV6Type.EchoRequest)]
    [InlineData(IcmpV6Type.EchoReply)]
    [InlineData(IcmpV6Type.NeighborSolicitation)]
    public void Answers_icmpv6_informational_messages(IcmpV6Type type)
    {
        Assert.True(IcmpV6Error.MayAnswer(Packets.Ipv6Icmp(Sender, Target, type)));
    }

    [Theory]
    [InlineData(IcmpV6Type.DestinationUnreachable)]
    [InlineData(IcmpV6Type.PacketTooBig)]
    [InlineData(IcmpV6Type.TimeExceeded)]
    [InlineData(IcmpV6Type.ParameterProblem)]
    [InlineData((IcmpV6Type)100)]
    public void Never_answers_icmpv6_errors(IcmpV6Type type)
    {
        Assert.False(IcmpV6Error.MayAnswer(Packets.Ipv6Icmp(Sender, Target, type)));
        Assert.False(IcmpV6Error.MayAnswer(Packets.Ipv6Icmp(Sender, Target, type), IcmpV6ErrorKind.PacketTooBig));
    }

    [Fact]
    public void Finds_an_icmpv6_error_behind_extension_headers()
    {
        Assert.False(IcmpV6Error.MayAnswer(BehindExtensionHeaders(1, [0])));
        Assert.False(IcmpV6Error.MayAnswer(BehindExtensionHeaders(3, [0, 60, 44])));
        Assert.True(IcmpV6Error.MayAnswer(BehindExtensionHeaders(128, [0])));
        Assert.True(IcmpV6Error.MayAnswer(BehindExtensionHeaders(129, [0, 60, 44])));
    }

    [Fact]
    public void A_later_fragment_hides_its_upper_layer_and_may_be_answered()
    {
        Assert.True(IcmpV6Error.MayAnswer(BehindExtensionHeaders(1, [44], fragmentOffset: 1)));
    }

    [Fact]
    public void Never_answers_an_extension_chain_that_is_cut_short_or_too_long()
    {
        byte[] cut = BehindExtensionHeaders(128, [0, 60]);
        BinaryPrimitives.WriteUInt16BigEndian(cut.AsSpan(4), 9); // ends inside the destination options

        Assert.False(IcmpV6Error.MayAnswer(cut));
        Assert.False(IcmpV6Error.MayAnswer(BehindExtensionHeaders(128, [0, 60, 60, 60, 60, 60, 60, 60, 60, 60])));
    }

    [Theory]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("ff02::1")]
    [InlineData("ff0e::1234")]
    public void Never_answers_a_source_that_is_not_one_node(string source)
    {
        byte[] packet = Packets.Ipv6Udp(source, Target, 20);

        Assert.False(IcmpV6Error.MayAnswer(packet));
        Assert.False(IcmpV6Error.MayAnswer(packet, IcmpV6ErrorKind.PacketTooBig));
    }

    [Theory]
    [InlineData(IcmpV6ErrorKind.TimeExceeded, false)]
    [InlineData(IcmpV6ErrorKind.NoRoute, false)]
    [InlineData(IcmpV6ErrorKind.AddressUnreachable, false)]
    [InlineData(IcmpV6ErrorKind.PacketTooBig, true)]
    public void Answers_a_multicast_destination_only_with_packet_too_big(IcmpV6ErrorKind kind, bool expected)
    {
        byte[] packet = Packets.Ipv6Udp(Sender, "ff0e::1:2", 20);

        Assert.Equal(expected, IcmpV6Error.MayAnswer(packet, kind));
        Assert.False(IcmpV6Error.MayAnswer(packet));
    }

    [Fact]
    public void Never_answers_malformed_packets()
    {
        byte[] packet = Packets.Ipv6Udp(Sender, Target, 20);

        Assert.False(IcmpV6Error.MayAnswer(packet.AsSpan(0, 39)));
        Assert.False(IcmpV6Error.MayAnswer(packet.AsSpan(0, packet.Length - 1)));
        packet[0] = 0x40;
        Assert.False(IcmpV6Error.MayAnswer(packet));
    }
}
