namespace Engine.Actors.Topology;

/// <summary>
/// Reads engine.wires: each wire joins two different devices or peers of the file. A port is in
/// one wire at most, except an <c>engine</c>-framing link, which carries several told apart by a
/// tag; a tun (IP packets) is not wired to a tap (Ethernet frames); a controller link, whose tags
/// name ports, is not wired; a wired device has no gateway, since the engine is not on that link.
/// </summary>
internal static class WireListReader
{
    private static readonly string[] Keys = ["ports"];
    private const string PortsExpectation = "a list of two device or peer names";

    /// <returns>The wires, and each wired name with the path of the first wire naming it (for routes to refuse).</returns>
    public static (IReadOnlyList<WireSpec> Wires, IReadOnlyDictionary<string, string> WiredAt) Read(
        ObjectReader engine, IReadOnlyList<DeviceEntry> devices, IReadOnlyList<PeerEntry> peers, ErrorList errors)
    {
        var wiredAt = new Dictionary<string, string>(StringComparer.Ordinal);
        if (engine.List("wires") is not { } list)
            return ([], wiredAt);
        var ports = new PortKinds(devices, peers);
        var wires = new List<WireSpec>(list.Items.Count);
        foreach (var item in list.Items)
        {
            if (ObjectReader.AsObject(item, errors) is not { } wire)
                continue;
            var reader = new ObjectReader(wire, errors, Keys);
            if (ReadEnds(reader, ports, wiredAt, errors) is { } ends)
                wires.Add(ends);
        }
        return (wires, wiredAt);
    }

    private static WireSpec? ReadEnds(ObjectReader reader, PortKinds ports, Dictionary<string, string> wiredAt, ErrorList errors)
    {
        if (reader.List("ports", required: true) is not { } list)
            return null;
        if (list.Items.Count != 2)
        {
            errors.Add(list.Path, $"must be {PortsExpectation}, got {list.Items.Count}");
            return null;
        }
        var first = ReadEnd(list.Items[0], ports, errors);
        var second = ReadEnd(list.Items[1], ports, errors);
        if (first is null || second is null)
            return null;
        if (first == second)
        {
            errors.Add(list.Path, $"{ValueText.Quote(first)} is wired to itself");
            return null;
        }
        if (ports.Mismatch(first, second) is { } mismatch)
        {
            errors.Add(list.Path, mismatch);
            return null;
        }
        var valid = true;
        for (var i = 0; i < 2; i++)
        {
            var name = i == 0 ? first : second;
            if (wiredAt.TryGetValue(name, out var earlier) && !ports.CarriesSeveralWires(name))
            {
                errors.Add(list.Items[i].Path, $"{ValueText.Quote(name)} is already wired ({earlier}); only an engine-framing link carries several wires");
                valid = false;
            }
            wiredAt.TryAdd(name, reader.Path);
        }
        return valid ? new WireSpec(first, second) : null;
    }

    private static string? ReadEnd(HoconNode item, PortKinds ports, ErrorList errors)
    {
        if (ObjectReader.AsScalar(item, "a device or peer name", errors) is not { } written)
            return null;
        if (ports.Problem(written.Text) is { } problem)
        {
            errors.Add(written.Path, problem);
            return null;
        }
        return written.Text;
    }

    /// <summary>What the wire rules need to know of each port name as written.</summary>
    private sealed class PortKinds
    {
        private readonly WrittenPorts _ports;

        public PortKinds(IReadOnlyList<DeviceEntry> devices, IReadOnlyList<PeerEntry> peers) => _ports = new WrittenPorts(devices, peers);

        /// <summary>Why <paramref name="name"/> cannot be a wire's end, or null.</summary>
        public string? Problem(string name)
        {
            if (_ports.TryGetDevice(name, out var device))
                return device.Spec is { Gateways.IsEmpty: false }
                    ? $"device {ValueText.Quote(name)} has a gateway, but the engine is not on a wired link: a wired port takes part in no routing"
                    : null;
            if (!_ports.TryGetPeer(name, out var peer))
                return $"no device or peer named {ValueText.Quote(name)}";
            return peer.Spec is { Role: PeerRole.Controller }
                ? $"{ValueText.Quote(name)} is a controller link, whose port tags name ports; it cannot be wired"
                : null;
        }

        public bool CarriesSeveralWires(string name) =>
            _ports.TryGetPeer(name, out var peer) && peer.Spec is { Framing: PeerFraming.Engine };

        /// <summary>A tun joined to a tap would hand each IP packets where it expects Ethernet frames.</summary>
        public string? Mismatch(string first, string second)
        {
            if (TypeOf(first) is not { } a || TypeOf(second) is not { } b || a == b)
                return null;
            var (tun, tap) = a == DeviceType.Tun ? (first, second) : (second, first);
            return $"tun {ValueText.Quote(tun)} carries IP packets and tap {ValueText.Quote(tap)} Ethernet frames: wire a tun to a tun or a peer, a tap to a tap or a peer";
        }

        private DeviceType? TypeOf(string name) => _ports.TryGetDevice(name, out var device) ? device.Spec?.Type : null;
    }
}
