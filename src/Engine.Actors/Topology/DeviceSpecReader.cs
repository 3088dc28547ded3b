using System.Net.Sockets;
using Engine.Native.Tun;

namespace Engine.Actors.Topology;

/// <summary>Reads and checks one entry of engine.devices on its own; see
/// <see cref="DeviceListReader"/> for the checks across devices.</summary>
internal static class DeviceSpecReader
{
    private static readonly string[] Keys = ["name", "type", "namespace", "address", "gateway", "mtu", "persistent", "switch", "offload", "queues"];

    public static DeviceEntry? Read(HoconNode node, ErrorList errors)
    {
        if (ObjectReader.AsObject(node, errors) is not { } device)
            return null;
        var errorsBefore = errors.Count;
        var reader = new ObjectReader(device, errors, Keys);

        var writtenName = reader.Scalar("name", "an interface name", required: true)?.Text;
        var name = CheckName(reader, writtenName, errors);
        var type = ReadType(reader, errors);
        var (space, namespaceKnown) = ReadNamespace(reader, errors);
        var addresses = DeviceAddressRules.ReadAddresses(reader, errors, out var allAddressesRead);
        var gateways = DeviceAddressRules.ReadGateways(reader, addresses, allAddressesRead, errors);
        var mtu = ReadMtu(reader, addresses, errors);
        var persistent = ReadPersistent(reader, name, errors);
        var switchName = ReadSwitch(reader, type, errors);
        var offload = ReadOffload(reader, errors);
        var queues = reader.Int("queues", 1, DeviceSpec.MaxQueues) ?? 1;

        DeviceSpec? spec = null;
        if (errors.Count == errorsBefore && name is not null && type is { } deviceType)
            spec = new DeviceSpec(name, deviceType, mtu, space,
                [.. addresses.Select(placed => placed.Address)], [.. gateways], persistent, switchName) { Offloads = offload, Queues = queues };
        return new DeviceEntry(device.Path, writtenName, name, space, namespaceKnown, addresses, spec);
    }

    private static string? CheckName(ObjectReader reader, string? name, ErrorList errors)
    {
        if (name is null)
            return null;
        if (LinuxNames.InterfaceNameProblem(name) is { } problem)
        {
            errors.Add(reader.PathOf("name"), problem);
            return null;
        }
        return name;
    }

    private static TunOffloads ReadOffload(ObjectReader reader, ErrorList errors)
    {
        const string expectation = "auto, off or a list of offloads";
        if (reader.IsAbsent("offload") || reader.Find("offload") is not { } value)
            return DeviceSpec.AllOffloads;
        if (value is HoconList list)
            return OffloadNames.Read(list, errors);
        switch (ObjectReader.AsScalar(value, expectation, errors))
        {
            case null or { Text: "auto" }: return DeviceSpec.AllOffloads;
            case { Text: "off" }: return TunOffloads.None;
            case var other:
                errors.Add(other.Path, $"must be {expectation} ({OffloadNames.Known}), got {other.Describe()}");
                return DeviceSpec.AllOffloads;
        }
    }

    private static DeviceType? ReadType(ObjectReader reader, ErrorList errors)
    {
        const string expectation = "tun or tap";
        switch (reader.Scalar("type", expectation, required: true))
        {
            case null: return null;
            case { Text: "tun" }: return DeviceType.Tun;
            case { Text: "tap" }: return DeviceType.Tap;
            case var other:
                errors.Add(other.Path, $"must be {expectation}, got {other.Describe()}");
                return null;
        }
    }

    private static (string? Namespace, bool Known) ReadNamespace(ObjectReader reader, ErrorList errors)
    {
        var written = reader.Scalar("namespace", "a namespace name");
        if (written is null)
            return (null, reader.IsAbsent("namespace"));
        if (LinuxNames.NamespaceNameProblem(written.Text) is { } problem)
        {
            errors.Add(written.Path, problem);
            return (null, false);
        }
        return (written.Text, true);
    }

    private static int ReadMtu(ObjectReader reader, IReadOnlyList<PlacedAddress> addresses, ErrorList errors)
    {
        if (reader.Int("mtu", DeviceSpec.MinMtu, DeviceSpec.MaxMtu) is not { } mtu)
            return DeviceSpec.DefaultMtu;
        foreach (var placed in addresses)
        {
            if (placed.Address.Family == AddressFamily.InterNetworkV6 && mtu < DeviceSpec.MinIPv6Mtu)
            {
                errors.Add(reader.PathOf("mtu"),
                    $"must be at least {DeviceSpec.MinIPv6Mtu} because the device has an IPv6 address ({placed.Address}), got {mtu}");
                break;
            }
        }
        return mtu;
    }

    private static bool ReadPersistent(ObjectReader reader, string? name, ErrorList errors)
    {
        var persistent = reader.Bool("persistent") ?? false;
        // The next run could not find a device whose name the kernel chose, and would leak another.
        if (persistent && name is not null && name.Contains("%d", StringComparison.Ordinal))
            errors.Add(reader.PathOf("persistent"), $"a persistent device needs a fixed name, not the template {ValueText.Quote(name)}");
        return persistent;
    }

    private static string? ReadSwitch(ObjectReader reader, DeviceType? type, ErrorList errors)
    {
        if (reader.Scalar("switch", "a switch name") is not { } written)
            return null;
        if (type == DeviceType.Tun)
            errors.Add(written.Path, "only tap devices can join a switch: a tun device carries no Ethernet frames");
        else if (LinuxNames.SwitchNameProblem(written.Text) is { } problem)
            errors.Add(written.Path, problem);
        else
            errors.Add(written.Path, "a device does not name its switch: list it among the ports of engine.switches = [ { name, ports = [...] } ]");
        return written.Text;
    }
}
