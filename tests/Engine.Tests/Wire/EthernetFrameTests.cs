using System.Buffers.Binary;
using System.Net.NetworkInformation;
using Engine.Actors.Wire;
using PacketDotNet;
using PacketDotNet.Utils;
using Xunit;

namespace Engine.Tests.Wire;

public class EthernetFrameTests
{
    [Fact]
    public void Reads_a_frame_built_by_PacketDotNet()
    {
        byte[] ip = Packets.Ipv4Udp("10.0.0.5", "10.0.1.9", 20);
        var reference = new EthernetPacket(PhysicalAddress.Parse("02:aa:bb:cc:dd:01"), PhysicalAddress.Parse("02:00:00:00:00:fe"), EthernetType.IPv4)
        {
            PayloadData = ip,
        };
        byte[] bytes = reference.Bytes;

        Assert.True(EthernetFrame.TryParse(bytes, out var frame));
        Assert.Equal(MacAddress.Parse("02:00:00:00:00:fe"), frame.DestinationAddress);
        Assert.Equal(MacAddress.Parse("02:aa:bb:cc:dd:01"), frame.SourceAddress);
        Assert.Equal(reference.DestinationHardwareAddress.GetAddressBytes(), frame.Destination.ToArray());
        Assert.Equal(reference.SourceHardwareAddress.GetAddressBytes(), frame.Source.ToArray());
        Assert.Equal(EtherType.Ipv4, frame.EtherType);
        Assert.False(frame.IsVlanTagged);
        Assert.Equal(ip, frame.Payload.ToArray());
        Assert.Equal(bytes[..14], frame.Header.ToArray());
        Assert.Equal(bytes.Length, frame.Bytes.Length);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(13)]
    public void Rejects_a_frame_shorter_than_its_header(int length)
    {
        Assert.False(EthernetFrame.TryParse(new byte[length], out _));
    }

    [Fact]
    public void Accepts_a_bare_header_with_an_empty_payload()
    {
        var bytes = new byte[14];
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(12), EtherType.Arp);

        Assert.True(EthernetFrame.TryParse(bytes, out var frame));
        Assert.Equal(EtherType.Arp, frame.EtherType);
        Assert.True(frame.Payload.IsEmpty);
    }

    [Theory]
    [InlineData(EtherType.Vlan)]
    [InlineData(EtherType.ServiceVlan)]
    public void Reports_a_vlan_tagged_frame_as_such(ushort tpid)
    {
        // 802.1Q: TPID, then TCI (priority 0, VLAN 42), then the inner type.
        byte[] bytes = [.. new byte[12], (byte)(tpid >> 8), (byte)tpid, 0x00, 0x2A, 0x08, 0x00, .. Packets.Ipv4Udp("10.0.0.5", "10.0.1.9", 4)];

        Assert.True(EthernetFrame.TryParse(bytes, out var frame));
        Assert.Equal(tpid, frame.EtherType);
        Assert.True(frame.IsVlanTagged);
        Assert.Equal(new EthernetPacket(new ByteArraySegment(bytes)).Type, (EthernetType)frame.EtherType);
    }

    [Fact]
    public void Writes_a_header_that_PacketDotNet_reads_back_and_nothing_more()
    {
        byte[] bytes = Packets.InBuffer([], 64);

        EthernetFrame.WriteHeader(bytes, MacAddress.Parse("33:33:00:00:00:01"), MacAddress.Parse("02:00:00:00:00:fe"), EtherType.Ipv6);

        var reference = new EthernetPacket(new ByteArraySegment(bytes[..14]));
        Assert.Equal(PhysicalAddress.Parse("33:33:00:00:00:01"), reference.DestinationHardwareAddress);
        Assert.Equal(PhysicalAddress.Parse("02:00:00:00:00:fe"), reference.SourceHardwareAddress);
        Assert.Equal(EthernetType.IPv6, reference.Type);
        Assert.All(bytes[14..], b => Assert.Equal(0xA5, b));
    }

    [Fact]
    public void Readdresses_a_frame_in_place_keeping_its_payload()
    {
        byte[] ip = Packets.Ipv6Udp("2001:db8::1", "2001:db8:1::2", 30);
        byte[] bytes = [.. new byte[14], .. ip];
        Assert.True(EthernetFrame.TryParse(bytes, out var frame));

        EthernetFrame.WriteHeader(frame.Bytes, MacAddress.Parse("02:aa:bb:cc:dd:02"), MacAddress.Parse("02:00:00:00:00:fe"), EtherType.Ipv6);

        Assert.Equal(MacAddress.Parse("02:aa:bb:cc:dd:02"), frame.DestinationAddress);
        Assert.Equal(MacAddress.Parse("02:00:00:00:00:fe"), frame.SourceAddress);
        Assert.Equal(EtherType.Ipv6, frame.EtherType);
        Assert.Equal(ip, frame.Payload.ToArray());
    }

    [Fact]
    public void Refuses_to_write_a_header_into_too_small_a_buffer()
    {
        Assert.Throws<ArgumentOutOfRangeException>(
            () => EthernetFrame.WriteHeader(new byte[13], MacAddress.Broadcast, MacAddress.Broadcast, EtherType.Arp));
    }
}
