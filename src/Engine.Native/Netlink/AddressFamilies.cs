using System.Net;
using System.Net.Sockets;

namespace Engine.Native.Netlink;

/// <summary>Checks an address + prefix length pair and names its netlink family.</summary>
internal static class AddressFamilies
{
    public static byte FamilyOf(IPAddress address, string parameterName) => address.AddressFamily switch
    {
        AddressFamily.InterNetwork => RtMessages.AddressFamilyInet,
        AddressFamily.InterNetworkV6 => RtMessages.AddressFamilyInet6,
        _ => throw new ArgumentException($"{address} is neither IPv4 nor IPv6", parameterName),
    };

    /// <summary>Returns the family after checking the length fits it (0-32 or 0-128).</summary>
    public static byte Validate(IPAddress address, int prefixLength, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(address, parameterName);
        var family = FamilyOf(address, parameterName);
        var maximum = family == RtMessages.AddressFamilyInet ? 32 : 128;
        if (prefixLength < 0 || prefixLength > maximum)
            throw new ArgumentOutOfRangeException(
                nameof(prefixLength), prefixLength, $"prefix length of {address} must be 0-{maximum}");
        return family;
    }
}
