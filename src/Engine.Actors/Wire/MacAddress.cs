using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Engine.Actors.Wire;

/// <summary>
/// A 48-bit IEEE 802 MAC address held in the low bits of a <see cref="ulong"/>, first octet
/// most significant: 02:00:00:00:00:01 is 0x0200_0000_0001. Compares and hashes as a number,
/// so it is a cheap dictionary key and never allocates on the data path.
/// </summary>
public readonly record struct MacAddress
{
    /// <summary>Length of an address on the wire, in bytes.</summary>
    public const int Length = 6;

    private const ulong AllBits = 0xFFFF_FFFF_FFFF;

    // Bits of the first octet (IEEE 802 §8.2): I/G is the lowest bit, U/L the next one.
    private const ulong GroupBit = 0x01UL << 40;
    private const ulong LocalBit = 0x02UL << 40;

    // RFC 2464 §7: IPv6 multicast maps to 33:33 followed by the group's low 32 bits.
    private const ulong Ipv6MulticastPrefix = 0x3333UL << 32;

    /// <summary>ff:ff:ff:ff:ff:ff.</summary>
    public static readonly MacAddress Broadcast = new(AllBits);

    /// <summary>Creates an address from its numeric form; throws when more than 48 bits are set.</summary>
    public MacAddress(ulong value)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, AllBits);
        Value = value;
    }

    /// <summary>The address as a number, first octet in bits 40-47.</summary>
    public ulong Value { get; }

    public bool IsBroadcast => Value == AllBits;

    /// <summary>The group (I/G) bit is set: multicast or broadcast, never a single station.</summary>
    public bool IsMulticast => (Value & GroupBit) != 0;

    /// <summary>The U/L bit is set: assigned locally rather than from a vendor's OUI.</summary>
    public bool IsLocallyAdministered => (Value & LocalBit) != 0;

    /// <summary>The IPv6 link-local address an interface with this MAC has: fe80::/64 and the modified EUI-64 (RFC 4291 appendix A).</summary>
    public UInt128 LinkLocalIpv6()
    {
        var oui = (Value >> 24) ^ 0x02_0000; // the universal/local bit, inverted
        var interfaceId = (oui << 40) | (0xFFFEUL << 24) | (Value & 0xFF_FFFF);
        return ((UInt128)0xFE80 << 112) | interfaceId;
    }

    /// <summary>Reads the first <see cref="Length"/> bytes of <paramref name="bytes"/>.</summary>
    public static MacAddress FromSpan(ReadOnlySpan<byte> bytes)
    {
        ulong high = BinaryPrimitives.ReadUInt16BigEndian(bytes);
        ulong low = BinaryPrimitives.ReadUInt32BigEndian(bytes[2..Length]);
        return new MacAddress(high << 32 | low, trusted: true);
    }

    /// <summary>Writes the address into the first <see cref="Length"/> bytes of <paramref name="destination"/>.</summary>
    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)(Value >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..Length], (uint)Value);
    }

    /// <summary>
    /// The Ethernet group address an IPv6 multicast <paramref name="group"/> is sent to
    /// (RFC 2464 §7): 33:33 and the group's last four bytes.
    /// </summary>
    public static MacAddress ForIpv6Multicast(UInt128 group) =>
        new(Ipv6MulticastPrefix | (uint)group, trusted: true);

    /// <summary>
    /// A locally administered unicast address derived from <paramref name="seed"/> (say a
    /// device name): the same seed gives the same address in every run and on every machine,
    /// so a lab's hosts keep their neighbour entries across engine restarts. The bytes are the
    /// start of the seed's SHA-256, with the U/L bit set and the I/G bit cleared.
    /// </summary>
    public static MacAddress LocallyAdministered(string seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(seed), hash);
        MacAddress raw = FromSpan(hash);
        return new MacAddress((raw.Value | LocalBit) & ~GroupBit, trusted: true);
    }

    /// <summary>Parses six hex octets separated by ':' or '-' (one kind throughout), e.g. 02:00:00:00:00:01.</summary>
    public static MacAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParse(text, out MacAddress address))
            throw new FormatException($"'{text}' is not a MAC address (expected six hex octets like 02:00:00:00:00:01).");
        return address;
    }

    /// <inheritdoc cref="Parse"/>
    public static bool TryParse(ReadOnlySpan<char> text, out MacAddress address)
    {
        address = default;
        if (text.Length != Length * 3 - 1)
            return false;
        char separator = text[2];
        if (separator is not (':' or '-'))
            return false;

        ulong value = 0;
        for (int i = 0; i < Length; i++)
        {
            int at = i * 3;
            if (i > 0 && text[at - 1] != separator)
                return false;
            if (!byte.TryParse(text.Slice(at, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte octet))
                return false;
            value = value << 8 | octet;
        }
        address = new MacAddress(value, trusted: true);
        return true;
    }

    /// <summary>Lower-case, colon-separated: 02:00:00:00:00:01.</summary>
    public override string ToString() =>
        string.Create(Length * 3 - 1, Value, static (chars, value) =>
        {
            for (int i = 0; i < Length; i++)
            {
                byte octet = (byte)(value >> (40 - 8 * i));
                if (i > 0)
                    chars[i * 3 - 1] = ':';
                octet.TryFormat(chars.Slice(i * 3, 2), out _, "x2", CultureInfo.InvariantCulture);
            }
        });

    // For values that cannot exceed 48 bits by construction: skips the range check.
    private MacAddress(ulong value, bool trusted) => Value = value;
}
