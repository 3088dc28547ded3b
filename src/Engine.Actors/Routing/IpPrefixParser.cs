using System.Net;
using System.Net.Sockets;

namespace Engine.Actors.Routing;

/// <summary>
/// Strict text form of a prefix. IPAddress.TryParse is not used for IPv4 because it
/// accepts inet_aton forms ("10.1", "0x0a.0.0.1", "010.0.0.1" as octal) that would turn a
/// typo in a lab file into a different route; IPv6 goes through it only after the text is
/// restricted to hex digits, ':' and '.', which excludes brackets, ports and zone indexes.
/// </summary>
internal static class IpPrefixParser
{
    public static bool TryParse(string? text, out IpPrefix prefix, out string error)
    {
        prefix = default;
        if (string.IsNullOrEmpty(text))
            return Fail("not an IP prefix: empty text", out error);

        bool isIPv6 = text.Contains(':');
        int slash = text.IndexOf('/');
        if (slash < 0)
            return Fail($"not an IP prefix: '{text}' has no /length (a single host is {text}/{(isIPv6 ? 128 : 32)})", out error);

        string addressText = text[..slash];
        string lengthText = text[(slash + 1)..];
        if (!TryParseLength(lengthText, out int length, out string? lengthError))
            return Fail($"not an IP prefix: '{text}': {lengthError}", out error);

        UInt128 address;
        if (isIPv6)
        {
            if (!TryParseIpv6(addressText, out address, out string? addressError))
                return Fail($"not an IP prefix: '{text}': {addressError}", out error);
            if (length > 128)
                return Fail($"prefix length {length} exceeds 128 for IPv6", out error);
        }
        else
        {
            if (!TryParseIpv4(addressText, out uint v4))
                return Fail($"not an IP prefix: '{text}': '{addressText}' is not an IPv4 address (four decimal octets 0-255, no leading zeros)", out error);
            if (length > 32)
                return Fail($"prefix length {length} exceeds 32 for IPv4", out error);
            address = v4;
        }

        UInt128 mask = isIPv6 ? IpPrefix.Ipv6Mask(length) : IpPrefix.Ipv4Mask(length);
        var candidate = IpPrefix.FromParts(address & mask, length, isIPv6);
        if ((address & mask) != address)
            return Fail($"host bits set in {text} (did you mean {candidate}?)", out error);

        prefix = candidate;
        error = "";
        return true;
    }

    private static bool TryParseLength(string text, out int length, out string? error)
    {
        length = 0;
        error = null;
        if (text.Length == 0)
        {
            error = "the length after '/' is missing";
            return false;
        }
        if (text.Length > 9 || !text.All(char.IsAsciiDigit))
        {
            error = $"length '{text}' is not a decimal number";
            return false;
        }
        if (text.Length > 1 && text[0] == '0')
        {
            error = $"length '{text}' has a leading zero";
            return false;
        }
        length = int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        return true;
    }

    private static bool TryParseIpv4(ReadOnlySpan<char> text, out uint address)
    {
        address = 0;
        int octets = 0;
        int i = 0;
        while (true)
        {
            int start = i;
            int value = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i]) && i - start < 3)
                value = value * 10 + (text[i++] - '0');
            int digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && text[start] == '0'))
                return false;
            address = (address << 8) | (uint)value;
            if (++octets == 4)
                return i == text.Length;
            if (i >= text.Length || text[i] != '.')
                return false;
            i++;
        }
    }

    private static bool TryParseIpv6(string text, out UInt128 address, out string? error)
    {
        address = 0;
        error = null;
        int zone = text.IndexOf('%');
        if (zone >= 0)
        {
            error = $"zone index '{text[zone..]}' does not belong in a prefix";
            return false;
        }
        foreach (char c in text)
        {
            if (!char.IsAsciiHexDigit(c) && c != ':' && c != '.')
            {
                error = $"'{text}' is not an IPv6 address";
                return false;
            }
        }
        if (!IPAddress.TryParse(text, out IPAddress? parsed) || parsed.AddressFamily != AddressFamily.InterNetworkV6)
        {
            error = $"'{text}' is not an IPv6 address";
            return false;
        }
        Span<byte> bytes = stackalloc byte[16];
        parsed.TryWriteBytes(bytes, out _);
        address = System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes);
        return true;
    }

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }
}
