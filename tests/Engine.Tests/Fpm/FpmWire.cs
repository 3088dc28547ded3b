using System.Buffers.Binary;
using Engine.Actors.Fpm;

namespace Engine.Tests.Fpm;

/// <summary>Builds FPM frames and rtnetlink messages byte by byte, for input the captures do not hold.</summary>
internal static class FpmWire
{
    public const ushort NewRoute = 24, DelRoute = 25, NewNextHop = 104, DelNextHop = 105;
    public const ushort RequestCreate = 0x401, RequestReplaceCreate = 0x501;

    public static byte[] Frame(params byte[][] messages)
    {
        byte[] payload = [.. messages.SelectMany(m => m)];
        var frame = new byte[FpmFrameHeader.Size + payload.Length];
        FpmFrameHeader.Write(frame, payload.Length);
        payload.CopyTo(frame, FpmFrameHeader.Size);
        return frame;
    }

    public static byte[] Message(ushort type, ushort flags, byte[] body)
    {
        var message = new byte[16 + body.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(message, (uint)message.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), type);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(6), flags);
        body.CopyTo(message, 16);
        return message;
    }

    /// <summary>struct rtmsg and its attributes.</summary>
    public static byte[] Route(byte family, byte destinationLength, byte type, params byte[][] attributes) =>
        [family, destinationLength, 0, 0, 254, 196, 0, type, 0, 0, 0, 0, .. attributes.SelectMany(a => a)];

    /// <summary>struct nhmsg and its attributes.</summary>
    public static byte[] NextHop(byte family, params byte[][] attributes) =>
        [family, 0, 11, 0, 0, 0, 0, 0, .. attributes.SelectMany(a => a)];

    public static byte[] Attribute(ushort type, params byte[] value)
    {
        var attribute = new byte[(4 + value.Length + 3) & ~3];
        BinaryPrimitives.WriteUInt16LittleEndian(attribute, (ushort)(4 + value.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(attribute.AsSpan(2), type);
        value.CopyTo(attribute, 4);
        return attribute;
    }

    public static byte[] UInt32(ushort type, uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return Attribute(type, bytes);
    }

    /// <summary>struct rtnexthop with its nested attributes.</summary>
    public static byte[] RtNextHop(byte hops, int ifIndex, params byte[][] attributes)
    {
        byte[] nested = [.. attributes.SelectMany(a => a)];
        var entry = new byte[8 + nested.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(entry, (ushort)entry.Length);
        entry[3] = hops;
        BinaryPrimitives.WriteInt32LittleEndian(entry.AsSpan(4), ifIndex);
        nested.CopyTo(entry, 8);
        return entry;
    }

    /// <summary>struct nexthop_grp: u32 id, u8 weight - 1, 3 reserved bytes.</summary>
    public static byte[] GroupEntry(uint id, byte weightLessOne)
    {
        var entry = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(entry, id);
        entry[4] = weightLessOne;
        return entry;
    }

    /// <summary>The FPM frames of a capture, each whole with its header.</summary>
    public static byte[][] Frames(byte[] stream)
    {
        var frames = new List<byte[]>();
        for (var offset = 0; offset + 4 <= stream.Length;)
        {
            int length = BinaryPrimitives.ReadUInt16BigEndian(stream.AsSpan(offset + 2));
            frames.Add(stream[offset..(offset + length)]);
            offset += length;
        }
        return [.. frames];
    }
}
