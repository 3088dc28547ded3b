using System.Buffers.Binary;

namespace Engine.Actors.Wire;

/// <summary>
/// A view of a TCP segment (RFC 9293) over caller-owned bytes: the IP payload. Obtain one only
/// through <see cref="TryParse"/>: it checks the data offset against the length once, so no
/// accessor can read out of bounds. The checksum is not checked (it needs the IP pseudo-header).
/// </summary>
public readonly ref struct TcpSegment
{
    /// <summary>Byte offsets of the header fields.</summary>
    public static class Field
    {
        public const int SourcePort = 0;
        public const int DestinationPort = 2;
        public const int SequenceNumber = 4;
        public const int AcknowledgmentNumber = 8;
        public const int DataOffset = 12;
        public const int Flags = 13;
        public const int Window = 14;
        public const int Checksum = 16;
        public const int UrgentPointer = 18;
        public const int MinHeaderLength = 20;
    }

    private readonly Span<byte> _bytes;

    private TcpSegment(Span<byte> bytes) => _bytes = bytes;

    public static bool TryParse(Span<byte> bytes, out TcpSegment segment)
    {
        if (!TryGetHeaderLength(bytes, out _))
        {
            segment = default;
            return false;
        }
        segment = new TcpSegment(bytes);
        return true;
    }

    /// <summary>The length check behind <see cref="TryParse"/>: header length from the data offset, options included.</summary>
    internal static bool TryGetHeaderLength(ReadOnlySpan<byte> bytes, out int headerLength)
    {
        headerLength = 0;
        if (bytes.Length < Field.MinHeaderLength)
            return false;
        int length = (bytes[Field.DataOffset] >> 4) * 4;
        if (length < Field.MinHeaderLength || length > bytes.Length)
            return false;
        headerLength = length;
        return true;
    }

    public Span<byte> Bytes => _bytes;

    public int HeaderLength => (_bytes[Field.DataOffset] >> 4) * 4;

    public Span<byte> Header => _bytes[..HeaderLength];

    public Span<byte> Options => _bytes[Field.MinHeaderLength..HeaderLength];

    public Span<byte> Payload => _bytes[HeaderLength..];

    public ushort SourcePort => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.SourcePort..]);

    public ushort DestinationPort => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.DestinationPort..]);

    public uint SequenceNumber => BinaryPrimitives.ReadUInt32BigEndian(_bytes[Field.SequenceNumber..]);

    public uint AcknowledgmentNumber => BinaryPrimitives.ReadUInt32BigEndian(_bytes[Field.AcknowledgmentNumber..]);

    public TcpFlags Flags => (TcpFlags)_bytes[Field.Flags];

    public ushort Window => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.Window..]);

    public ushort Checksum => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.Checksum..]);
}
