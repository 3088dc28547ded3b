using System.Buffers.Binary;

namespace Engine.Actors.Wire;

/// <summary>
/// A view of an IPv4 packet (RFC 791) over caller-owned bytes. Obtain one only through
/// <see cref="TryParse"/>: once it succeeds no accessor can read out of bounds. The view is
/// exactly <see cref="TotalLength"/> bytes long; bytes after that in the frame (link padding)
/// are not part of it. Nothing here changes a length, so the check is never invalidated.
/// </summary>
public readonly ref struct Ipv4Packet
{
    /// <summary>Byte offsets of the header fields.</summary>
    public static class Field
    {
        public const int VersionAndHeaderLength = 0;
        public const int DifferentiatedServices = 1;
        public const int TotalLength = 2;
        public const int Identification = 4;
        public const int FlagsAndFragmentOffset = 6;
        public const int Ttl = 8;
        public const int Protocol = 9;
        public const int Checksum = 10;
        public const int Source = 12;
        public const int Destination = Source + AddressLength;
        public const int AddressLength = 4;
        public const int MinHeaderLength = Destination + AddressLength;
    }

    private const ushort DontFragmentFlag = 0x4000;
    private const ushort MoreFragmentsFlag = 0x2000;
    internal const ushort FragmentOffsetMask = 0x1FFF;

    private readonly Span<byte> _bytes;

    private Ipv4Packet(Span<byte> bytes) => _bytes = bytes;

    /// <summary>
    /// Validates the lengths and version of an untrusted frame and returns a view of the
    /// packet it holds. Checksum and options are not checked.
    /// </summary>
    public static bool TryParse(Span<byte> frame, out Ipv4Packet packet)
    {
        if (!TryGetTotalLength(frame, out int totalLength))
        {
            packet = default;
            return false;
        }
        packet = new Ipv4Packet(frame[..totalLength]);
        return true;
    }

    /// <summary>The length check behind <see cref="TryParse"/>, usable on read-only bytes.</summary>
    internal static bool TryGetTotalLength(ReadOnlySpan<byte> frame, out int totalLength)
    {
        totalLength = 0;
        if (frame.Length < Field.MinHeaderLength)
            return false;
        byte versionAndLength = frame[Field.VersionAndHeaderLength];
        if (versionAndLength >> 4 != 4)
            return false;
        int headerLength = (versionAndLength & 0x0F) * 4;
        if (headerLength < Field.MinHeaderLength || frame.Length < headerLength)
            return false;
        int total = BinaryPrimitives.ReadUInt16BigEndian(frame[Field.TotalLength..]);
        if (total < headerLength || total > frame.Length)
            return false;
        totalLength = total;
        return true;
    }

    /// <summary>The whole packet: header and payload, <see cref="TotalLength"/> bytes.</summary>
    public Span<byte> Bytes => _bytes;

    public Span<byte> Header => _bytes[..HeaderLength];

    public Span<byte> Payload => _bytes[HeaderLength..];

    public byte Version => (byte)(_bytes[Field.VersionAndHeaderLength] >> 4);

    /// <summary>Header length in bytes (IHL × 4), options included.</summary>
    public int HeaderLength => (_bytes[Field.VersionAndHeaderLength] & 0x0F) * 4;

    public ushort TotalLength => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.TotalLength..]);

    public ushort Identification => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.Identification..]);

    public bool DontFragment => (FlagsAndFragmentOffset & DontFragmentFlag) != 0;

    public bool MoreFragments => (FlagsAndFragmentOffset & MoreFragmentsFlag) != 0;

    /// <summary>Fragment offset in bytes (the wire field counts 8-byte units).</summary>
    public int FragmentOffset => (FlagsAndFragmentOffset & FragmentOffsetMask) * 8;

    public byte Ttl => _bytes[Field.Ttl];

    public IpProtocol Protocol => (IpProtocol)_bytes[Field.Protocol];

    public ushort HeaderChecksum => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.Checksum..]);

    public ReadOnlySpan<byte> Source => _bytes.Slice(Field.Source, Field.AddressLength);

    public ReadOnlySpan<byte> Destination => _bytes.Slice(Field.Destination, Field.AddressLength);

    /// <summary>The source address as a number: 10.0.0.1 is 0x0A000001.</summary>
    public uint SourceAddress => BinaryPrimitives.ReadUInt32BigEndian(_bytes[Field.Source..]);

    /// <summary>The destination address as a number: 10.0.0.1 is 0x0A000001.</summary>
    public uint DestinationAddress => BinaryPrimitives.ReadUInt32BigEndian(_bytes[Field.Destination..]);

    private ushort FlagsAndFragmentOffset =>
        BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.FlagsAndFragmentOffset..]);

    /// <summary>
    /// Decrements the TTL and patches the header checksum incrementally (RFC 1624), which
    /// gives the same checksum as <see cref="FillHeaderChecksum"/> when the old one was valid.
    /// Returns false, changing nothing, when the TTL is already 0. Deciding that a TTL of 1
    /// must not be forwarded is the caller's job.
    /// </summary>
    public bool DecrementTtl()
    {
        ushort oldWord = BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.Ttl..]);
        if (oldWord >> 8 == 0)
            return false;
        ushort newWord = (ushort)(oldWord - 0x100);
        BinaryPrimitives.WriteUInt16BigEndian(_bytes[Field.Ttl..], newWord);
        ushort checksum = InternetChecksum.Update(HeaderChecksum, oldWord, newWord);
        BinaryPrimitives.WriteUInt16BigEndian(_bytes[Field.Checksum..], checksum);
        return true;
    }

    public bool VerifyHeaderChecksum() => InternetChecksum.IsValid(Header);

    public void FillHeaderChecksum() => WriteHeaderChecksum(Header);

    /// <summary>Computes and writes the checksum of the IPv4 <paramref name="header"/> (options included).</summary>
    internal static void WriteHeaderChecksum(Span<byte> header)
    {
        Span<byte> field = header.Slice(Field.Checksum, 2);
        field.Clear();
        BinaryPrimitives.WriteUInt16BigEndian(field, InternetChecksum.Compute(header));
    }
}
