using System.Collections.Immutable;

namespace Engine.Actors.Topology;

/// <summary>
/// Reads engine.switches: each switch has a unique name that is no port's, and member ports that
/// carry Ethernet frames (taps, and peer links other than a controller's), each in one switch at
/// most and in no wire, each an access port of a VLAN or a trunk (SwitchVlanReader). No route
/// names a member; a switch with a <c>gateway</c> (its router interface, <see cref="SwitchGatewayRules"/>)
/// is named by routes instead.
/// </summary>
internal static class SwitchListReader
{
    private static readonly string[] Keys = ["name", "vlans", "ports", "ageing", "mac-limit", "storm-rate", "gateway"];

    /// <returns>The switches, and each member's name with why it takes part in no routing (for routes to refuse).</returns>
    public static (IReadOnlyList<SwitchSpec> Switches, IReadOnlyDictionary<string, string> SwitchedAt) Read(
        ObjectReader engine, IReadOnlyList<DeviceEntry> devices, IReadOnlyList<PeerEntry> peers,
        IReadOnlyDictionary<string, string> wiredAt, ErrorList errors)
    {
        var switchedAt = new Dictionary<string, string>(StringComparer.Ordinal);
        if (engine.List("switches") is not { } list)
            return ([], switchedAt);
        var ports = new Members(devices, peers);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var switches = new List<SwitchSpec>(list.Items.Count);
        foreach (var item in list.Items)
        {
            if (ObjectReader.AsObject(item, errors) is not { } node)
                continue;
            var reader = new ObjectReader(node, errors, Keys);
            var name = ReadName(reader, ports, names, errors);
            var vlans = SwitchVlanReader.ReadDeclared(reader, errors);
            var members = ReadPorts(reader, name, vlans, ports, wiredAt, switchedAt, errors);
            var ageing = reader.Duration("ageing", TimeSpan.FromSeconds(1), TimeSpan.FromDays(1)) ?? SwitchSpec.DefaultAgeing;
            var macLimit = reader.Int("mac-limit", 1, 65536) ?? SwitchSpec.DefaultMacLimit;
            var stormRate = reader.Int("storm-rate", 1, 10_000_000) ?? SwitchSpec.DefaultStormRate;
            var gateways = SwitchGatewayRules.Read(reader, name, members is { } read ? read.Names : [], devices, errors);
            if (name is not null && members is { } written && gateways is not null)
                switches.Add(new SwitchSpec(name, written.Names, ageing, macLimit, stormRate) { Gateways = gateways.Value, Vlans = vlans, PortVlans = written.Vlans });
        }
        return (switches, switchedAt);
    }

    private static string? ReadName(ObjectReader reader, Members ports, Dictionary<string, string> names, ErrorList errors)
    {
        if (reader.Scalar("name", "a switch name", required: true) is not { } written)
            return null;
        var name = written.Text;
        if (LinuxNames.SwitchNameProblem(name) is { } problem)
        {
            errors.Add(written.Path, problem);
            return null;
        }
        if (ports.IsPort(name))
        {
            errors.Add(written.Path, $"{ValueText.Quote(name)} is already a device or peer name; a switch needs a name of its own");
            return null;
        }
        if (!names.TryAdd(name, reader.Path))
        {
            errors.Add(written.Path, $"duplicate switch name {ValueText.Quote(name)} (first at {names[name]})");
            return null;
        }
        return name;
    }

    private static (ImmutableArray<string> Names, ImmutableArray<PortVlan> Vlans)? ReadPorts(ObjectReader reader, string? switchName,
        ImmutableArray<int> vlans, Members ports, IReadOnlyDictionary<string, string> wiredAt, Dictionary<string, string> switchedAt, ErrorList errors)
    {
        if (reader.List("ports", required: true) is not { } list)
            return null;
        if (list.Items.Count == 0)
        {
            errors.Add(list.Path, "must name at least one device or peer");
            return null;
        }
        var members = ImmutableArray.CreateBuilder<string>(list.Items.Count);
        var memberVlans = ImmutableArray.CreateBuilder<PortVlan>(list.Items.Count);
        var valid = true;
        var shownName = switchName is null ? "" : $" {switchName}";
        foreach (var item in list.Items)
        {
            var (written, vlan) = item is HoconObjectNode node
                ? SwitchVlanReader.ReadPort(node, vlans, reader.PathOf("vlans"), errors)
                : (ObjectReader.AsScalar(item, "a tap or peer name", errors), PortVlan.Default);
            if (written is null || vlan is null)
            {
                valid = false;
                if (written is null)
                    continue;
            }
            var port = written.Text;
            var problem = ports.Problem(port)
                ?? (wiredAt.TryGetValue(port, out var wire) ? $"{ValueText.Quote(port)} is already wired ({wire}); a port is either wired or switched" : null)
                ?? (switchedAt.TryGetValue(port, out var earlier) ? $"{ValueText.Quote(port)} {earlier}; a port is in one switch at most" : null);
            if (problem is not null)
            {
                errors.Add(written.Path, problem);
                valid = false;
                continue;
            }
            switchedAt[port] = $"is a port of switch{shownName} ({reader.Path}): a switch port takes part in no routing (routes name the switch)";
            members.Add(port);
            if (vlan is not null)
                memberVlans.Add(vlan);
        }
        return valid ? (members.ToImmutable(), memberVlans.ToImmutable()) : null;
    }

    /// <summary>What the switch rules need to know of each port name as written.</summary>
    private sealed class Members
    {
        private readonly WrittenPorts _ports;

        public Members(IReadOnlyList<DeviceEntry> devices, IReadOnlyList<PeerEntry> peers) => _ports = new WrittenPorts(devices, peers);

        public bool IsPort(string name) => _ports.Contains(name);

        /// <summary>Why <paramref name="name"/> cannot be a switch's member, or null.</summary>
        public string? Problem(string name)
        {
            if (_ports.TryGetDevice(name, out var device))
            {
                if (device.Spec is not { } spec)
                    return null;
                return spec.Type == DeviceType.Tun
                    ? $"puts a tun in a switch: {ValueText.Quote(name)} carries IP packets, not Ethernet frames; only taps and peer links can be switch ports"
                    : null;
            }
            if (!_ports.TryGetPeer(name, out var peer))
                return $"no device or peer named {ValueText.Quote(name)}";
            return peer.Spec is { Role: PeerRole.Controller }
                ? $"{ValueText.Quote(name)} is a controller link, whose port tags name ports; it cannot be a switch port"
                : null;
        }
    }
}
