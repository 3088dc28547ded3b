using System.Net;
using System.Net.Sockets;

namespace Engine.Actors.Topology;

/// <summary>
/// A device's addresses and gateways. A gateway becomes the namespace's default route for its
/// family, so it must be reachable on the device: inside one of the device's subnets of that
/// family, and not the device's own address. Every address, the device's and the gateway, is
/// one host's unicast address: not multicast, broadcast, unspecified, loopback, or the network
/// or broadcast address of its subnet.
/// </summary>
internal static class DeviceAddressRules
{
    public static IReadOnlyList<PlacedAddress> ReadAddresses(ObjectReader reader, ErrorList errors, out bool allRead)
    {
        var addresses = new List<PlacedAddress>();
        var errorsBefore = errors.Count;
        foreach (var written in reader.ScalarOrList("address", "an address with prefix length"))
        {
            if (!AddressText.TryParseAddressAndLength(written.Text, out var address, out var length))
            {
                errors.Add(written.Path, $"not an address with prefix length: {ValueText.Quote(written.Text)}");
                continue;
            }
            var max = AddressText.MaxPrefixLength(address.AddressFamily);
            if (length > max)
            {
                errors.Add(written.Path,
                    $"prefix length {length} is out of range for {AddressText.FamilyName(address.AddressFamily)} (0..{max}): {ValueText.Quote(written.Text)}");
                continue;
            }
            var own = new InterfaceAddress(address, length);
            if (NotAHost(address, own) is { } kind)
            {
                errors.Add(written.Path, $"{own} is {kind}, not a host's address");
                continue;
            }
            var duplicate = addresses.FindIndex(placed => placed.Address.Address.Equals(address));
            if (duplicate >= 0)
            {
                errors.Add(written.Path, $"duplicate address {address} (also {addresses[duplicate].Path})");
                continue;
            }
            addresses.Add(new PlacedAddress(own, written.Path));
        }
        allRead = errors.Count == errorsBefore;
        return addresses;
    }

    /// <param name="allAddressesRead">When some address was unreadable, a gateway's relation to the
    /// device's addresses cannot be judged without guessing; only its own form is checked.</param>
    public static IReadOnlyList<IPAddress> ReadGateways(
        ObjectReader reader, IReadOnlyList<PlacedAddress> addresses, bool allAddressesRead, ErrorList errors)
    {
        var gateways = new List<IPAddress>();
        var firstOfFamily = new Dictionary<AddressFamily, string>();
        foreach (var written in reader.ScalarOrList("gateway", "an address"))
        {
            if (!AddressText.TryParseAddress(written.Text, out var gateway))
            {
                errors.Add(written.Path, $"not an address: {ValueText.Quote(written.Text)}");
                continue;
            }
            if ((AddressKinds.NotUnicast(gateway) ?? (AddressKinds.IsLoopback(gateway) ? "a loopback address" : null)) is { } kind)
            {
                errors.Add(written.Path, $"gateway {gateway} is {kind}");
                continue;
            }
            var family = AddressText.FamilyName(gateway.AddressFamily);
            if (!firstOfFamily.TryAdd(gateway.AddressFamily, written.Path))
            {
                errors.Add(written.Path,
                    $"a second {family} gateway (also {firstOfFamily[gateway.AddressFamily]}): a namespace has one default route per family");
                continue;
            }
            if (allAddressesRead && Unreachable(gateway, family, addresses) is { } problem)
            {
                errors.Add(written.Path, problem);
                continue;
            }
            gateways.Add(gateway);
        }
        return gateways;
    }

    public static string? NotAHost(IPAddress address, InterfaceAddress own) =>
        AddressKinds.NotUnicast(address)
        ?? (AddressKinds.IsLoopback(address) ? "a loopback address (lo has those)" : null)
        ?? AddressKinds.SubnetRole(address, own);

    private static string? Unreachable(IPAddress gateway, string family, IReadOnlyList<PlacedAddress> addresses)
    {
        var subnets = new List<string>();
        var inSubnet = false;
        foreach (var placed in addresses)
        {
            var own = placed.Address;
            if (own.Family != gateway.AddressFamily)
                continue;
            if (own.Address.Equals(gateway))
                return $"gateway {gateway} is the device's own address";
            if (AddressKinds.SubnetRole(gateway, own) is { } role)
                return $"gateway {gateway} is {role}";
            inSubnet |= own.IsInSubnet(gateway);
            subnets.Add(own.Subnet.ToString());
        }
        if (inSubnet)
            return null;
        return subnets.Count == 0
            ? $"gateway {gateway} needs an {family} address on the device"
            : $"gateway {gateway} is outside the device's {family} subnet{(subnets.Count > 1 ? "s" : "")} {string.Join(", ", subnets)}";
    }
}
