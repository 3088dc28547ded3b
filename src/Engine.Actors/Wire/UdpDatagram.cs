using System.Buffers.Binary;

namespace Engine.Actors.Wire;

/// <summary>
/// A view of a UDP datagram (RFC 768) over caller-owned bytes: the IP payload. Obtain one only
/// through <see cref="TryParse"/>. The view is exactly <see cref="Length"/> bytes long. The
/// checksum is not checked (it needs the IP pseudo-header).
/// </summary>
public readonly ref struct UdpDatagram
{
    /// <summary>Byte offsets of the header fields.</summary>
    public static class Field
    {
        public const int SourcePort = 0;
        public const int DestinationPort = 2;
        public const int Length = 4;
        public const int Checksum = 6;
        public const int HeaderLength = 8;
    }

    private readonly Span<byte> _bytes;

    private UdpDatagram(Span<byte> bytes) => _bytes = bytes;

    /// <summary>Checks the length field against the bytes and returns a view of exactly that many.</summary>
    public static bool TryParse(Span<byte> bytes, out UdpDatagram datagram)
    {
        datagram = default;
        if (bytes.Length < Field.HeaderLength)
            return false;
        int length = BinaryPrimitives.ReadUInt16BigEndian(bytes[Field.Length..]);
        if (length < Field.HeaderLength || length > bytes.Length)
            return false;
        datagram = new UdpDatagram(bytes[..length]);
        return true;
    }

    public Span<byte> Bytes => _bytes;

    public Span<byte> Payload => _bytes[Field.HeaderLength..];

    public ushort SourcePort => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.SourcePort..]);

    public ushort DestinationPort => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.DestinationPort..]);

    /// <summary>Header plus payload, in bytes, as the length field says (and as the view is long).</summary>
    public int Length => _bytes.Length;

    public ushort Checksum => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.Checksum..]);
}
