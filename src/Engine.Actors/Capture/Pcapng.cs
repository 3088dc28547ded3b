using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Engine.Actors.Capture;

/// <summary>
/// The pcapng blocks a capture is written in (draft-ietf-opsawg-pcapng), little-endian: a section
/// header, one interface (the port, with its name and link type), then one enhanced packet block
/// per frame with its direction in epb_flags, and at the end an interface statistics block with
/// the frames the capture lost (isb_ifdrop). tcpdump -r and tshark -r read it, from a pipe too.
/// </summary>
public static class Pcapng
{
    /// <summary>LINKTYPE_RAW: an IP packet, version in its first nibble (a tun, a peer carrying IP).</summary>
    public const ushort LinkTypeRaw = 101;

    /// <summary>LINKTYPE_ETHERNET: a tap, a switch member.</summary>
    public const ushort LinkTypeEthernet = 1;

    public const int SnapLength = 262144;

    private const uint SectionHeaderType = 0x0A0D0D0A;
    private const uint InterfaceType = 1;
    private const uint EnhancedPacketType = 6;
    private const uint InterfaceStatisticsType = 5;

    /// <summary>The section header and one interface: a port's capture.</summary>
    public static void WriteHeader(IBufferWriter<byte> output, string portName, ushort linkType)
    {
        WriteSection(output);
        WriteInterface(output, portName, linkType);
    }

    public static void WriteSection(IBufferWriter<byte> output)
    {
        Span<byte> section = stackalloc byte[28];
        BinaryPrimitives.WriteUInt32LittleEndian(section, SectionHeaderType);
        BinaryPrimitives.WriteUInt32LittleEndian(section[4..], 28);
        BinaryPrimitives.WriteUInt32LittleEndian(section[8..], 0x1A2B3C4D);
        BinaryPrimitives.WriteUInt16LittleEndian(section[12..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(section[14..], 0);
        BinaryPrimitives.WriteInt64LittleEndian(section[16..], -1); // section length unknown: written live
        BinaryPrimitives.WriteUInt32LittleEndian(section[24..], 28);
        output.Write(section);
    }

    /// <summary>The next interface of the section; interfaces are numbered from 0 in the order written.</summary>
    public static void WriteInterface(IBufferWriter<byte> output, string portName, ushort linkType)
    {
        var name = Encoding.UTF8.GetBytes(portName);
        var length = 20 + Option(name.Length) + 4 + 4;
        var block = output.GetSpan(length)[..length];
        block.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(block, InterfaceType);
        BinaryPrimitives.WriteUInt32LittleEndian(block[4..], (uint)length);
        BinaryPrimitives.WriteUInt16LittleEndian(block[8..], linkType);
        BinaryPrimitives.WriteUInt32LittleEndian(block[12..], SnapLength);
        var options = block[16..];
        options = WriteOption(options, 2, name); // if_name
        BinaryPrimitives.WriteUInt32LittleEndian(options, 0); // opt_endofopt
        BinaryPrimitives.WriteUInt32LittleEndian(block[^4..], (uint)length);
        output.Advance(length);
    }

    /// <param name="comment">An opt_comment for the frame (a drop's reason); none when null.</param>
    public static void WritePacket(IBufferWriter<byte> output, DateTime time, ReadOnlySpan<byte> frame, CaptureDirection direction, string? comment = null)
    {
        var captured = Math.Min(frame.Length, SnapLength);
        var text = comment is null ? [] : Encoding.UTF8.GetBytes(comment);
        var length = 28 + Pad(captured) + 12 + (comment is null ? 0 : Option(text.Length)) + 4 + 4; // header, data, epb_flags, comment, opt_endofopt, trailing length
        var block = output.GetSpan(length)[..length];
        block.Clear();
        var micros = (ulong)((time - DateTime.UnixEpoch).Ticks / 10);
        BinaryPrimitives.WriteUInt32LittleEndian(block, EnhancedPacketType);
        BinaryPrimitives.WriteUInt32LittleEndian(block[4..], (uint)length);
        BinaryPrimitives.WriteUInt32LittleEndian(block[8..], 0); // the one interface
        BinaryPrimitives.WriteUInt32LittleEndian(block[12..], (uint)(micros >> 32));
        BinaryPrimitives.WriteUInt32LittleEndian(block[16..], (uint)micros);
        BinaryPrimitives.WriteUInt32LittleEndian(block[20..], (uint)captured);
        BinaryPrimitives.WriteUInt32LittleEndian(block[24..], (uint)frame.Length);
        frame[..captured].CopyTo(block[28..]);
        var options = block[(28 + Pad(captured))..];
        BinaryPrimitives.WriteUInt16LittleEndian(options, 2); // epb_flags
        BinaryPrimitives.WriteUInt16LittleEndian(options[2..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(options[4..], (uint)direction);
        options = options[8..];
        if (comment is not null) options = WriteOption(options, 1, text); // opt_comment
        BinaryPrimitives.WriteUInt32LittleEndian(options, 0); // opt_endofopt
        BinaryPrimitives.WriteUInt32LittleEndian(block[^4..], (uint)length);
        output.Advance(length);
    }

    /// <summary>The capture's end: how many frames it lost to a full ring (isb_ifdrop).</summary>
    public static void WriteStatistics(IBufferWriter<byte> output, DateTime time, long lost)
    {
        const int length = 20 + 12 + 4 + 4; // header, isb_ifdrop, opt_endofopt, trailing length
        var block = output.GetSpan(length)[..length];
        block.Clear();
        var micros = (ulong)((time - DateTime.UnixEpoch).Ticks / 10);
        BinaryPrimitives.WriteUInt32LittleEndian(block, InterfaceStatisticsType);
        BinaryPrimitives.WriteUInt32LittleEndian(block[4..], length);
        BinaryPrimitives.WriteUInt32LittleEndian(block[8..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(block[12..], (uint)(micros >> 32));
        BinaryPrimitives.WriteUInt32LittleEndian(block[16..], (uint)micros);
        BinaryPrimitives.WriteUInt16LittleEndian(block[20..], 5); // isb_ifdrop
        BinaryPrimitives.WriteUInt16LittleEndian(block[22..], 8);
        BinaryPrimitives.WriteInt64LittleEndian(block[24..], lost);
        BinaryPrimitives.WriteUInt32LittleEndian(block[32..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(block[^4..], length);
        output.Advance(length);
    }

    private static int Pad(int length) => (length + 3) & ~3;

    private static int Option(int valueLength) => 4 + Pad(valueLength);

    private static Span<byte> WriteOption(Span<byte> options, ushort code, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(options, code);
        BinaryPrimitives.WriteUInt16LittleEndian(options[2..], (ushort)value.Length);
        value.CopyTo(options[4..]);
        return options[Option(value.Length)..];
    }
}
