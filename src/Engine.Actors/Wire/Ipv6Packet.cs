using System.Buffers.Binary;

namespace Engine.Actors.Wire;

/// <summary>
/// A view of an IPv6 packet (RFC 8200) over caller-owned bytes. Obtain one only through
/// <see cref="TryParse"/>: once it succeeds no accessor can read out of bounds. The view is
/// exactly <see cref="TotalLength"/> bytes long; trailing link padding is not part of it.
/// Extension headers are payload here. Jumbograms (payload length 0 plus a jumbo option)
/// are not supported: they parse as an empty payload.
/// </summary>
public readonly ref struct Ipv6Packet
{
    /// <summary>Byte offsets of the fixed header fields.</summary>
    public static class Field
    {
        public const int VersionClassAndFlow = 0;
        public const int PayloadLength = 4;
        public const int NextHeader = 6;
        public const int HopLimit = 7;
        public const int Source = 8;
        public const int Destination = Source + AddressLength;
        public const int AddressLength = 16;
        public const int HeaderLength = Destination + AddressLength;
    }

    private readonly Span<byte> _bytes;

    private Ipv6Packet(Span<byte> bytes) => _bytes = bytes;

    /// <summary>Validates the lengths and version of an untrusted frame and returns a view of the packet.</summary>
    public static bool TryParse(Span<byte> frame, out Ipv6Packet packet)
    {
        if (!TryGetTotalLength(frame, out int totalLength))
        {
            packet = default;
            return false;
        }
        packet = new Ipv6Packet(frame[..totalLength]);
        return true;
    }

    /// <summary>The length check behind <see cref="TryParse"/>, usable on read-only bytes.</summary>
    internal static bool TryGetTotalLength(ReadOnlySpan<byte> frame, out int totalLength)
    {
        totalLength = 0;
        if (frame.Length < Field.HeaderLength || frame[Field.VersionClassAndFlow] >> 4 != 6)
            return false;
        int total = Field.HeaderLength + BinaryPrimitives.ReadUInt16BigEndian(frame[Field.PayloadLength..]);
        if (total > frame.Length)
            return false;
        totalLength = total;
        return true;
    }

    /// <summary>The whole packet: fixed header and payload, <see cref="TotalLength"/> bytes.</summary>
    public Span<byte> Bytes => _bytes;

    public Span<byte> Header => _bytes[..Field.HeaderLength];

    /// <summary>Everything after the fixed header, extension headers included.</summary>
    public Span<byte> Payload => _bytes[Field.HeaderLength..];

    public byte Version => (byte)(_bytes[Field.VersionClassAndFlow] >> 4);

    public byte TrafficClass => (byte)(VersionClassAndFlow >> 20);

    public uint FlowLabel => VersionClassAndFlow & 0x000F_FFFF;

    public ushort PayloadLength => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.PayloadLength..]);

    /// <summary>Fixed header plus payload length, in bytes.</summary>
    public int TotalLength => _bytes.Length;

    public IpProtocol NextHeader => (IpProtocol)_bytes[Field.NextHeader];

    public byte HopLimit => _bytes[Field.HopLimit];

    public ReadOnlySpan<byte> Source => _bytes.Slice(Field.Source, Field.AddressLength);

    public ReadOnlySpan<byte> Destination => _bytes.Slice(Field.Destination, Field.AddressLength);

    /// <summary>The source address as a big-endian number: 2001:db8::1 is 0x20010DB8_00000000_00000000_00000001.</summary>
    public UInt128 SourceAddress => BinaryPrimitives.ReadUInt128BigEndian(_bytes[Field.Source..]);

    /// <summary>The destination address as a big-endian number.</summary>
    public UInt128 DestinationAddress => BinaryPrimitives.ReadUInt128BigEndian(_bytes[Field.Destination..]);

    private uint VersionClassAndFlow => BinaryPrimitives.ReadUInt32BigEndian(_bytes);

    /// <summary>
    /// Decrements the hop limit (IPv6 has no header checksum to patch). Returns false,
    /// changing nothing, when it is already 0.
    /// </summary>
    public bool DecrementHopLimit()
    {
        byte hopLimit = _bytes[Field.HopLimit];
        if (hopLimit == 0)
            return false;
        _bytes[Field.HopLimit] = (byte)(hopLimit - 1);
        return true;
    }
}
