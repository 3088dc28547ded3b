using System.Net;
using System.Net.Sockets;

namespace Engine.Actors.Topology;

/// <summary>
/// An address configured on a device together with the length of its on-link prefix, as
/// `ip address add 10.0.1.1/24` takes it. Unlike a route prefix, host bits are the point.
/// </summary>
public readonly record struct InterfaceAddress(IPAddress Address, int PrefixLength)
{
    public AddressFamily Family => Address.AddressFamily;

    /// <summary>The on-link subnet: 10.0.1.1/24 lies in 10.0.1.0/24.</summary>
    public IPNetwork Subnet => AddressText.NetworkOf(Address, PrefixLength);

    public bool IsInSubnet(IPAddress other) => Subnet.Contains(other);

    public bool Overlaps(InterfaceAddress other) =>
        Family == other.Family && (Subnet.Contains(other.Address) || other.Subnet.Contains(Address));

    public override string ToString() => $"{Address}/{PrefixLength}";

    /// <summary>Strict "ADDR/LEN" with the length in range for the family.</summary>
    public static bool TryParse(string text, out InterfaceAddress result)
    {
        result = default;
        if (!AddressText.TryParseAddressAndLength(text, out var address, out var length)
            || length > AddressText.MaxPrefixLength(address.AddressFamily))
            return false;
        result = new InterfaceAddress(address, length);
        return true;
    }
}
