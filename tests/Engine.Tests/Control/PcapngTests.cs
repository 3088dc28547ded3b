using System.Buffers;
using System.Buffers.Binary;
using Engine.Actors.Capture;
using Engine.Actors.Counters;
using Xunit;

namespace Engine.Tests.Control;

/// <summary>The blocks read back by their lengths and fields, as a pcapng reader walks them.</summary>
public class PcapngTests
{
    [Fact]
    public void Header_packets_and_statistics_are_well_formed_blocks()
    {
        var output = new ArrayBufferWriter<byte>();
        var time = new DateTime(2026, 12, 7, 9, 0, 0, DateTimeKind.Utc).AddTicks(12_340);
        Pcapng.WriteHeader(output, "tun-a", Pcapng.LinkTypeRaw);
        Pcapng.WritePacket(output, time, [0x45, 0, 0, 21, 1], CaptureDirection.Inbound);
        Pcapng.WritePacket(output, time, new byte[64], CaptureDirection.Outbound);
        Pcapng.WriteStatistics(output, time, lost: 7);

        var blocks = Blocks(output.WrittenMemory.ToArray());

        Assert.Equal([0x0A0D0D0Au, 1u, 6u, 6u, 5u], blocks.Select(b => b.Type));
        Assert.Equal(0x1A2B3C4Du, BinaryPrimitives.ReadUInt32LittleEndian(blocks[0].Body));
        Assert.Equal(Pcapng.LinkTypeRaw, BinaryPrimitives.ReadUInt16LittleEndian(blocks[1].Body));
        Assert.True(blocks[1].Body.AsSpan().IndexOf("tun-a"u8) > 0, "if_name");
        var packet = blocks[2].Body;
        var micros = ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(packet[4..]) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(packet[8..]);
        Assert.Equal((ulong)((time - DateTime.UnixEpoch).Ticks / 10), micros);
        Assert.Equal(5u, BinaryPrimitives.ReadUInt32LittleEndian(packet[12..]));
        Assert.Equal(5u, BinaryPrimitives.ReadUInt32LittleEndian(packet[16..]));
        Assert.Equal([0x45, 0, 0, 21, 1], packet[20..25]);
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(packet[(20 + 8 + 4)..])); // epb_flags: inbound
        Assert.Equal(7L, BinaryPrimitives.ReadInt64LittleEndian(blocks[4].Body[16..]));
    }

    [Fact]
    public void A_drop_s_reason_is_the_packet_s_comment()
    {
        var output = new ArrayBufferWriter<byte>();
        Pcapng.WritePacket(output, DateTime.UtcNow, new byte[6], CaptureDirection.Inbound, "no-route");

        var packet = Blocks(output.WrittenMemory.ToArray()).Single().Body;
        var comment = packet[(20 + 8 + 8)..];
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(comment)); // opt_comment
        Assert.Equal(8, BinaryPrimitives.ReadUInt16LittleEndian(comment.AsSpan(2)));
        Assert.Equal("no-route"u8.ToArray(), comment[4..12]);
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(comment.AsSpan(12))); // opt_endofopt
    }

    [Theory]
    [InlineData(DropReason.Malformed, false)]
    [InlineData(DropReason.NoRoute, true)]
    [InlineData(DropReason.Vlan, true)]
    public void A_drop_note_keeps_its_reason_and_link(DropReason reason, bool ethernet)
    {
        var note = DropNote.Of(reason, ethernet);

        Assert.Equal(reason, DropNote.ReasonOf(note));
        Assert.Equal(ethernet, DropNote.IsEthernet(note));
        Assert.Null(DropNote.ReasonOf(0));
    }

    private static List<(uint Type, byte[] Body)> Blocks(byte[] bytes)
    {
        var blocks = new List<(uint, byte[])>();
        for (var at = 0; at < bytes.Length;)
        {
            var type = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at));
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 4));
            Assert.Equal(0, length % 4);
            Assert.Equal((uint)length, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + length - 4)));
            blocks.Add((type, bytes[(at + 8)..(at + length - 4)]));
            at += length;
        }
        return blocks;
    }
}
