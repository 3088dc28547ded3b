using System.Buffers.Binary;

namespace Engine.Actors.Peers.Framing;

/// <summary>
/// The 8-byte header of every message of the engine link protocol (docs/protocol.md):
/// type u8, flags u8, port u16, body length u32, all big-endian. A view: it checks the length
/// of the span once and never allocates.
/// </summary>
internal readonly ref struct EngineHeader
{
    public const int Size = 8;

    /// <summary>No body may be longer: a 64 KiB frame plus room for metadata. Longer is a protocol error.</summary>
    public const int MaxBody = 65600;

    /// <summary>DATA flag: the body starts with a virtio-net header describing the packet after it.</summary>
    public const byte OffloadFlag = 1;

    /// <summary>The bytes in front of a PUNT's frame: the number of the rule that punted it.</summary>
    public const int PuntRuleSize = 2;

    /// <summary>The port field of a frame that carries no port tag.</summary>
    public const ushort NoPort = 0xFFFF;

    private readonly ReadOnlySpan<byte> _bytes;

    private EngineHeader(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public EngineMessageType Type => (EngineMessageType)_bytes[0];
    public byte Flags => _bytes[1];
    public ushort Port => BinaryPrimitives.ReadUInt16BigEndian(_bytes[2..]);
    public uint BodyLength => BinaryPrimitives.ReadUInt32BigEndian(_bytes[4..]);

    /// <summary>Whole message length, header included; only meaningful when <see cref="IsTooLong"/> is false.</summary>
    public int MessageLength => Size + (int)BodyLength;

    public bool IsTooLong => BodyLength > MaxBody;

    public static bool TryRead(ReadOnlySpan<byte> input, out EngineHeader header)
    {
        if (input.Length < Size)
        {
            header = default;
            return false;
        }
        header = new EngineHeader(input[..Size]);
        return true;
    }

    public static void Write(Span<byte> destination, EngineMessageType type, ushort port, int bodyLength, byte flags = 0)
    {
        destination[0] = (byte)type;
        destination[1] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], port);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], (uint)bodyLength);
    }
}

public enum EngineMessageType : byte
{
    Hello = 1,
    Auth = 2,
    Keepalive = 3,
    Data = 4,
    Port = 5,
    Goodbye = 6,
    /// <summary>Engine to controller: a frame a rule sent there, with the rule's number before it.</summary>
    Punt = 7,
    /// <summary>Controller to engine: a frame to send out of a port exactly as it is.</summary>
    Inject = 8,
    /// <summary>Engine to controller: why a frame it sent was not sent on.</summary>
    Refused = 9,
}
