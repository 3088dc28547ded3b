using System.Buffers.Binary;

namespace Engine.Actors.Wire;

/// <summary>
/// A view of an Ethernet II frame as a tap device hands it over: destination, source, type
/// and payload, no preamble and no frame check sequence. Obtain one only through
/// <see cref="TryParse"/>. The payload runs to the end of the frame, so it may end in link
/// padding; the views of what it carries trim that themselves. VLAN-tagged frames are not
/// unwrapped: <see cref="EtherType"/> is then <see cref="Wire.EtherType.Vlan"/> (or the
/// 802.1ad S-tag) and <see cref="IsVlanTagged"/> is true.
/// </summary>
public readonly ref struct EthernetFrame
{
    /// <summary>Byte offsets of the header fields.</summary>
    public static class Field
    {
        public const int Destination = 0;
        public const int Source = Destination + MacAddress.Length;
        public const int EtherType = Source + MacAddress.Length;
    }

    /// <summary>Destination, source and type: 14 bytes.</summary>
    public const int HeaderLength = Field.EtherType + 2;

    private readonly Span<byte> _bytes;

    private EthernetFrame(Span<byte> bytes) => _bytes = bytes;

    /// <summary>Accepts any frame that holds a whole header (an empty payload is allowed).</summary>
    public static bool TryParse(Span<byte> frame, out EthernetFrame ethernet)
    {
        if (frame.Length < HeaderLength)
        {
            ethernet = default;
            return false;
        }
        ethernet = new EthernetFrame(frame);
        return true;
    }

    /// <summary>
    /// Writes a header into the first <see cref="HeaderLength"/> bytes of
    /// <paramref name="frame"/>, e.g. to readdress a frame in place before it leaves.
    /// </summary>
    public static void WriteHeader(Span<byte> frame, MacAddress destination, MacAddress source, ushort etherType)
    {
        Span<byte> header = frame[..HeaderLength];
        destination.WriteTo(header[Field.Destination..]);
        source.WriteTo(header[Field.Source..]);
        BinaryPrimitives.WriteUInt16BigEndian(header[Field.EtherType..], etherType);
    }

    /// <summary>The whole frame, header and payload.</summary>
    public Span<byte> Bytes => _bytes;

    public Span<byte> Header => _bytes[..HeaderLength];

    public Span<byte> Payload => _bytes[HeaderLength..];

    public Span<byte> Destination => _bytes.Slice(Field.Destination, MacAddress.Length);

    public Span<byte> Source => _bytes.Slice(Field.Source, MacAddress.Length);

    public MacAddress DestinationAddress => MacAddress.FromSpan(_bytes[Field.Destination..]);

    public MacAddress SourceAddress => MacAddress.FromSpan(_bytes[Field.Source..]);

    public ushort EtherType => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.EtherType..]);

    /// <summary>An 802.1Q or 802.1ad tag follows the addresses; the engine does not route those.</summary>
    public bool IsVlanTagged => EtherType is Wire.EtherType.Vlan or Wire.EtherType.ServiceVlan;
}
