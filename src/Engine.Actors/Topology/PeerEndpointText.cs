using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Engine.Actors.Topology;

/// <summary>
/// The endpoints of a peer's <c>connect</c> and <c>listen</c> keys. IP endpoints are
/// "10.0.0.1:5555" or "[fd00::1]:5555", addresses as strict as <see cref="AddressText"/>
/// makes them and no host names (nothing is resolved); a listener may give just the port and
/// gets loopback. Unix endpoints are an absolute path or "@name" in the abstract namespace.
/// </summary>
internal static class PeerEndpointText
{
    /// <summary>sun_path is 108 bytes: a path needs its terminating NUL, an abstract name its leading one.</summary>
    public const int MaxUnixPathBytes = 107;

    private const string IPShape = "an endpoint like 127.0.0.1:5555 or [::1]:5555";

    /// <param name="listen">A listener may write only the port; a connecting side needs an address it can reach.</param>
    /// <returns>Why the text is not usable, or null when <paramref name="endPoint"/> holds it.</returns>
    public static string? ParseIP(string text, bool listen, out IPEndPoint? endPoint)
    {
        endPoint = null;
        var shown = ValueText.Quote(text);
        if (IsDigits(text))
        {
            if (!listen)
                return $"connect needs an address as well as the port: {shown}";
            if (PortProblem(text, shown, out var loopbackPort) is { } portProblem)
                return portProblem;
            endPoint = new IPEndPoint(IPAddress.Loopback, loopbackPort);
            return null;
        }
        if (!SplitHostAndPort(text, out var host, out var portText, out var bracketed))
            return text.AsSpan().Count(':') > 1 && !text.StartsWith('[')
                ? $"an IPv6 endpoint is written [address]:port: {shown}"
                : $"not {IPShape}{(listen ? " or a port" : "")}: {shown}";
        if (!AddressText.TryParseAddress(host, out var address)
            || (address.AddressFamily == AddressFamily.InterNetworkV6) != bracketed)
            return $"not {IPShape}{(listen ? " or a port" : "")}: {shown}";
        if (PortProblem(portText, shown, out var port) is { } problem)
            return problem;
        if (!listen && (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)))
            return $"cannot connect to the unspecified address {address}: {shown}";
        // A listener may bind the unspecified address; neither side can use one no single host owns.
        if (!(listen && (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))) && AddressKinds.NotUnicast(address) is { } kind)
            return $"cannot {(listen ? "listen on" : "connect to")} {address}, {kind}: {shown}";
        endPoint = new IPEndPoint(address, port);
        return null;
    }

    /// <returns>Why the text is not usable, or null when <paramref name="endPoint"/> holds it.</returns>
    public static string? ParseUnix(string text, out UnixDomainSocketEndPoint? endPoint)
    {
        endPoint = null;
        var shown = ValueText.Quote(text);
        if (text.Contains('\0'))
            return $"must not contain NUL: {shown}";
        if (text.StartsWith('@'))
        {
            if (text.Length == 1)
                return "an abstract socket needs a name after '@'";
            var nameBytes = Encoding.UTF8.GetByteCount(text) - 1;
            if (nameBytes > MaxUnixPathBytes)
                return $"abstract socket name is {nameBytes} bytes long; Linux allows at most {MaxUnixPathBytes}";
            endPoint = new UnixDomainSocketEndPoint("\0" + text[1..]);
            return null;
        }
        if (!text.StartsWith('/'))
            return $"a Unix socket path must be absolute (or @name for the abstract namespace): {shown}";
        if (text.EndsWith('/'))
            return $"{shown} names a directory; name the socket itself";
        var bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes > MaxUnixPathBytes)
            return $"Unix socket path is {bytes} bytes long; Linux allows at most {MaxUnixPathBytes}";
        endPoint = new UnixDomainSocketEndPoint(text);
        return null;
    }

    private static bool SplitHostAndPort(string text, out string host, out string port, out bool bracketed)
    {
        host = port = "";
        bracketed = text.StartsWith('[');
        var separator = bracketed ? text.IndexOf("]:", StringComparison.Ordinal) + 1 : text.IndexOf(':');
        if (separator <= 0 || (!bracketed && text.IndexOf(':', separator + 1) >= 0))
            return false;
        host = bracketed ? text[1..(separator - 1)] : text[..separator];
        port = text[(separator + 1)..];
        return IsDigits(port);
    }

    private static string? PortProblem(string digits, string shown, out int port)
    {
        // More digits than any port has would overflow int; they are out of range all the same.
        port = digits.Length <= 5 ? int.Parse(digits, CultureInfo.InvariantCulture) : int.MaxValue;
        return port is >= 1 and <= IPEndPoint.MaxPort
            ? null
            : $"port {digits} is out of range (1..{IPEndPoint.MaxPort}): {shown}";
    }

    private static bool IsDigits(string text)
    {
        if (text.Length == 0)
            return false;
        foreach (var c in text)
            if (!char.IsAsciiDigit(c))
                return false;
        return true;
    }
}
