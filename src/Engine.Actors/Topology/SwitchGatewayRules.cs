using System.Collections.Immutable;
using System.Net.Sockets;

namespace Engine.Actors.Topology;

/// <summary>
/// A switch's <c>gateway</c>: the engine's addresses on the segment, its router interface. Each
/// is written with the segment's prefix length (no device address on the engine's side gives the
/// subnet), is one host's unicast address, at most one per family, and no member device's own
/// address. A member device may have a <c>gateway</c> only when it is one of the switch's: a host
/// on the switch reaches the rest of the lab through the switch's router interface.
/// </summary>
internal static class SwitchGatewayRules
{
    /// <returns>The gateways (empty when the key is absent), or null when one was refused.</returns>
    public static ImmutableArray<InterfaceAddress>? Read(ObjectReader reader, string? switchName, IReadOnlyList<string> members,
        IReadOnlyList<DeviceEntry> devices, ErrorList errors)
    {
        var errorsBefore = errors.Count;
        var gateways = ImmutableArray.CreateBuilder<InterfaceAddress>();
        var firstOfFamily = new Dictionary<AddressFamily, string>();
        var memberDevices = devices.Where(d => d.WrittenName is { } name && members.Contains(name)).ToList();
        foreach (var written in reader.ScalarOrList("gateway", "an address with prefix length"))
        {
            if (Parse(written.Text) is not { } gateway)
            {
                errors.Add(written.Path, AddressText.TryParseAddress(written.Text, out _)
                    ? $"a switch's gateway needs the segment's prefix length, as in \"{written.Text}/24\": no device address gives the subnet"
                    : $"not an address with prefix length: {ValueText.Quote(written.Text)}");
                continue;
            }
            if (DeviceAddressRules.NotAHost(gateway.Address, gateway) is { } kind)
            {
                errors.Add(written.Path, $"{gateway} is {kind}, not a host's address");
                continue;
            }
            if (!firstOfFamily.TryAdd(gateway.Family, written.Path))
            {
                errors.Add(written.Path, $"a second {AddressText.FamilyName(gateway.Family)} gateway (also {firstOfFamily[gateway.Family]}): a switch has one per family");
                continue;
            }
            var owner = memberDevices.SelectMany(d => d.Addresses).FirstOrDefault(a => a.Address.Address.Equals(gateway.Address));
            if (owner.Path is not null)
            {
                errors.Add(written.Path, $"{gateway.Address} is a host's address on the switch ({owner.Path}), not the engine's");
                continue;
            }
            gateways.Add(gateway);
        }
        // A member's gateway is judged against the switch's only when every one of those was read.
        if (errors.Count > errorsBefore)
            return null;
        CheckMemberGateways(reader.Path, switchName, memberDevices, gateways, errors);
        return errors.Count == errorsBefore ? gateways.ToImmutable() : null;
    }

    private static InterfaceAddress? Parse(string text) =>
        InterfaceAddress.TryParse(text, out var gateway) ? gateway : null;

    /// <summary>A member device's default route goes through the switch's router interface, or nowhere.</summary>
    private static void CheckMemberGateways(string switchPath, string? switchName, IReadOnlyList<DeviceEntry> memberDevices,
        IReadOnlyList<InterfaceAddress> gateways, ErrorList errors)
    {
        foreach (var device in memberDevices)
        {
            if (device.Spec is not { } spec)
                continue;
            foreach (var gateway in spec.Gateways)
            {
                if (gateways.Any(g => g.Address.Equals(gateway)))
                    continue;
                errors.Add(HoconPath.Key(device.Path, "gateway"),
                    $"{gateway} is not a gateway of switch{(switchName is null ? "" : " " + switchName)} ({switchPath}), whose port {ValueText.Quote(device.WrittenName!)} is: "
                    + "a host on a switch has the switch's gateway (its router interface) as its default route, or none");
            }
        }
    }
}
