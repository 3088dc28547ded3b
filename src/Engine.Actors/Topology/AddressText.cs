using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace Engine.Actors.Topology;

/// <summary>
/// Strict text forms of addresses and prefixes. IPAddress.TryParse alone is too forgiving for a
/// lab file: it reads "10.1" as 10.0.0.1 and "010.0.0.1" as octal, and takes IPv6 scope ids.
/// Here IPv4 is exactly four decimal octets and IPv6 carries no scope or brackets.
/// </summary>
internal static class AddressText
{
    public static bool TryParseAddress(string text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (text.Length == 0 || text.AsSpan().ContainsAny(" \t\r\n%[]"))
            return false;
        if (text.Contains(':'))
        {
            if (!IPAddress.TryParse(text, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetworkV6)
                return false;
            address = parsed;
            return true;
        }
        return TryParseIPv4(text, out address);
    }

    /// <summary>"ADDR/LEN": false when the text is not that shape; an out-of-range length parses
    /// (so the caller can say which range applies) and is reported by <see cref="MaxPrefixLength"/>.</summary>
    public static bool TryParseAddressAndLength(string text, [NotNullWhen(true)] out IPAddress? address, out int prefixLength)
    {
        address = null;
        prefixLength = -1;
        var slash = text.LastIndexOf('/');
        if (slash <= 0 || slash == text.Length - 1)
            return false;
        var lengthText = text.AsSpan(slash + 1);
        if (lengthText.Length > 3 || !IsDigits(lengthText))
            return false;
        prefixLength = int.Parse(lengthText);
        return TryParseAddress(text[..slash], out address);
    }

    public static int MaxPrefixLength(AddressFamily family) => family == AddressFamily.InterNetwork ? 32 : 128;

    public static string FamilyName(AddressFamily family) => family == AddressFamily.InterNetwork ? "IPv4" : "IPv6";

    /// <summary>The network an address lies in: the address with every bit past the prefix cleared.</summary>
    public static IPNetwork NetworkOf(IPAddress address, int prefixLength)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var length);
        bytes = bytes[..length];
        for (var bit = prefixLength; bit < length * 8; bit++)
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        return new IPNetwork(new IPAddress(bytes), prefixLength);
    }

    private static bool TryParseIPv4(string text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        Span<byte> octets = stackalloc byte[4];
        var rest = text.AsSpan();
        for (var i = 0; i < 4; i++)
        {
            var dot = rest.IndexOf('.');
            var part = i < 3 ? (dot < 0 ? ReadOnlySpan<char>.Empty : rest[..dot]) : rest;
            if (part.Length is 0 or > 3 || !IsDigits(part) || (part.Length > 1 && part[0] == '0'))
                return false;
            var value = int.Parse(part);
            if (value > 255)
                return false;
            octets[i] = (byte)value;
            if (i < 3)
                rest = rest[(dot + 1)..];
        }
        address = new IPAddress(octets);
        return true;
    }

    private static bool IsDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
            if (c is < '0' or > '9')
                return false;
        return true;
    }
}
