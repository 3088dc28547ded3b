using Engine.Native.Netlink;
using Xunit;

namespace Engine.Tests.Native;

public sealed class NetlinkMessageReaderTests
{
    [Fact]
    public void Reads_consecutive_messages_and_the_errno_of_an_error()
    {
        byte[] datagram =
        [
            20, 0, 0, 0, 2, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0xEF, 0xFF, 0xFF, 0xFF, // NLMSG_ERROR -17, seq 9
            16, 0, 0, 0, 3, 0, 2, 0, 10, 0, 0, 0, 0, 0, 0, 0,                         // NLMSG_DONE, MULTI, seq 10
        ];
        var reader = new NetlinkMessageReader(datagram);

        Assert.True(reader.TryRead(out var error));
        Assert.Equal(NetlinkHeader.Error, error.Type);
        Assert.Equal(9u, error.Sequence);
        Assert.Equal(17, error.ErrorCode);
        Assert.True(reader.TryRead(out var done));
        Assert.Equal(NetlinkHeader.Done, done.Type);
        Assert.Equal(NetlinkHeader.Multi, done.Flags);
        Assert.Equal(0, done.ErrorCode);
        Assert.False(reader.TryRead(out _));
    }

    [Theory]
    [InlineData(8)]   // shorter than a header
    [InlineData(64)]  // claims more than the datagram holds
    public void A_message_length_that_does_not_fit_ends_the_walk(byte length)
    {
        byte[] datagram = [length, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        var reader = new NetlinkMessageReader(datagram);

        Assert.False(reader.TryRead(out _));
    }

    [Fact]
    public void Attributes_are_read_with_padding_skipped_and_flag_bits_masked()
    {
        byte[] attributes =
        [
            7, 0, 3, 0, (byte)'l', (byte)'o', 0, 0xAA,   // IFLA_IFNAME, padded
            8, 0, 0x04, 0x80, 0xDC, 0x05, 0, 0,          // IFLA_MTU with NLA_F_NESTED set: 1500
            200, 0, 1, 0,                                 // claims 200 bytes: ends the walk
        ];
        var reader = new RtAttributeReader(attributes);

        Assert.True(reader.TryRead(out var nameType, out var name));
        Assert.Equal(RtAttributes.LinkName, nameType);
        Assert.Equal("lo\0"u8.ToArray(), name.ToArray());
        Assert.True(reader.TryRead(out var mtuType, out var mtu));
        Assert.Equal(RtAttributes.LinkMtu, mtuType);
        Assert.Equal(1500, BitConverter.ToInt32(mtu));
        Assert.False(reader.TryRead(out _, out _));
    }
}
