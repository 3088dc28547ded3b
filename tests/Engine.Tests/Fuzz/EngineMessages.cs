using System.Buffers.Binary;
using System.Text;
using CsCheck;

namespace Engine.Tests.Fuzz;

/// <summary>Engine-protocol messages for the link targets, laid out from docs/protocol.md: mostly well-formed, some not.</summary>
internal static class EngineMessages
{
    public static readonly Gen<byte[]> Packets = FuzzGen.Frames([.. FuzzFrames.Ip.Select(t => t.Packet)], ipOffset: 0, maxRandom: 120);

    /// <summary>A port field: none (0xFFFF), a port that exists, or anything.</summary>
    public static readonly Gen<ushort> Port = Gen.Frequency((3, Gen.Const((ushort)0xFFFF)), (3, Gen.Int[0, 5].Select(i => (ushort)i)), (1, Gen.UShort));

    /// <summary>
    /// HELLO with a zero nonce: version 1, no key asked and another name, or now and then what
    /// is refused (another version, a key asked, our own name, no name). A refusal ends the
    /// session (a stream link closes), so it is rare enough for sessions to last several cases.
    /// </summary>
    public static readonly Gen<byte[]> Hello = Gen.Select(
        Gen.Frequency((100, Gen.Const((byte)1)), (1, Gen.Byte)),
        Gen.Frequency((50, Gen.Const((byte)0)), (50, Gen.Const((byte)2)), (1, Gen.Byte)),
        Gen.Frequency((100, Gen.Const("far-end")), (1, Gen.Const(LinkRig.NodeName)), (1, Gen.Const(""))),
        (version, flags, name) => Message(1, 0, 0, [version, flags, .. new byte[16], .. Encoding.UTF8.GetBytes(name)]));

    /// <summary>DATA with a packet, flags mostly 0.</summary>
    public static readonly Gen<byte[]> Data =
        Gen.Select(Gen.Frequency((8, Gen.Const((byte)0)), (1, Gen.Byte)), Port, Packets, (flags, port, packet) => Message(4, flags, port, packet));

    /// <summary>AUTH, KEEPALIVE, PORT, GOODBYE and unknown types, with any body.</summary>
    public static readonly Gen<byte[]> Control =
        Gen.Select(Gen.OneOf<byte>(2, 3, 5, 6, 7, 8, 9, 0, 255), Gen.Byte.Array[0, 40], (type, body) => Message(type, 0, 0, body));

    public static byte[] Message(byte type, byte flags, ushort port, byte[] body)
    {
        var message = new byte[8 + body.Length];
        message[0] = type;
        message[1] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), port);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(4), (uint)body.Length);
        body.CopyTo(message, 8);
        return message;
    }

    /// <summary>Sets the body length field of <paramref name="message"/> (a copy) to <paramref name="length"/>, true or not.</summary>
    public static byte[] WithLength(byte[] message, uint length)
    {
        var copy = message.ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(4), length);
        return copy;
    }
}
