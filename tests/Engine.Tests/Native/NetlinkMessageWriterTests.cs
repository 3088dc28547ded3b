using System.Net;
using Engine.Native.Netlink;
using Xunit;

namespace Engine.Tests.Native;

public sealed class NetlinkMessageWriterTests
{
    [Fact]
    public void Link_change_by_name_is_header_ifinfomsg_and_a_padded_name()
    {
        // Filled with garbage so any byte the writer forgets to set shows up.
        var buffer = Enumerable.Repeat((byte)0xAA, 64).ToArray();
        var writer = new NetlinkMessageWriter(buffer, RtMessages.NewLink, flags: 0);
        writer.WriteLinkHeader(RtMessages.AddressFamilyUnspecified, index: 0, flags: 1, change: 1);
        writer.AddAttribute(RtAttributes.LinkName, "lo");

        var message = writer.Finish(sequence: 0x01020304, extraFlags: NetlinkHeader.Request | NetlinkHeader.Ack).ToArray();

        byte[] expected =
        [
            40, 0, 0, 0, 16, 0, 5, 0, 4, 3, 2, 1, 0, 0, 0, 0, // nlmsghdr: len 40, RTM_NEWLINK, REQUEST|ACK, seq
            0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0,   // ifinfomsg: index 0, flags IFF_UP, change IFF_UP
            7, 0, 3, 0, (byte)'l', (byte)'o', 0, 0,           // IFLA_IFNAME "lo\0" + one pad byte
        ];
        Assert.Equal(expected, message);
    }

    [Fact]
    public void Address_request_carries_network_order_addresses_and_a_u32_attribute()
    {
        var buffer = Enumerable.Repeat((byte)0xAA, 64).ToArray();
        var writer = new NetlinkMessageWriter(buffer, RtMessages.NewAddress, NetlinkHeader.Create | NetlinkHeader.Exclusive);
        writer.WriteAddressHeader(RtMessages.AddressFamilyInet, prefixLength: 24, flags: 0, RtMessages.ScopeUniverse, index: 7);
        writer.AddAttribute(RtAttributes.AddressLocal, IPAddress.Parse("10.0.1.1"));
        writer.AddAttribute(RtAttributes.AddressFlags, 0x02u);

        var message = writer.Finish(sequence: 1, extraFlags: NetlinkHeader.Request).ToArray();

        Assert.Equal(16 + 8 + 8 + 8, message.Length);
        Assert.Equal(new byte[] { 0x01, 0x06 }, message[6..8]); // CREATE|EXCL|REQUEST = 0x0601
        Assert.Equal(new byte[] { 2, 24, 0, 0, 7, 0, 0, 0 }, message[16..24]);
        Assert.Equal(new byte[] { 8, 0, 2, 0, 10, 0, 1, 1 }, message[24..32]);
        Assert.Equal(new byte[] { 8, 0, 8, 0, 2, 0, 0, 0 }, message[32..40]);
    }

    [Fact]
    public void A_request_larger_than_its_buffer_is_refused()
    {
        var buffer = new byte[24];

        Assert.Throws<InvalidOperationException>(() =>
        {
            var writer = new NetlinkMessageWriter(buffer, RtMessages.NewLink, flags: 0);
            writer.WriteLinkHeader(RtMessages.AddressFamilyUnspecified, 0, 0, 0);
        });
    }
}
