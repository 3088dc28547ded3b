using System.Net;
using System.Net.Sockets;
using Engine.Actors.Rules;

namespace Engine.Actors.Topology;

/// <summary>
/// Reads engine.rules: each rule has an optional priority, a match over the fields the rule table
/// knows (any of them may be left out), and an action, <c>controller</c>, <c>drop</c> or
/// <c>normal</c>. A match that no frame could satisfy (a source and destination of different
/// families, ARP with an IP protocol) is refused, and so is a controller action without a
/// controller link to send to.
/// </summary>
internal static class RuleListReader
{
    private static readonly string[] Keys = ["priority", "match", "action", "controller"];
    private static readonly string[] MatchKeys = ["in-port", "eth-type", "ip-proto", "src", "dst", "link-local-src", "ttl"];
    private const string ActionExpectation = "controller, drop or normal";

    public static IReadOnlyList<RuleSpec> Read(ObjectReader engine, IReadOnlyList<DeviceEntry> devices, IReadOnlyList<PeerEntry> peers, ErrorList errors)
    {
        if (engine.List("rules") is not { } list)
            return [];
        var ports = new WrittenPorts(devices, peers);
        var controllers = peers.Where(p => p.Spec is { Role: PeerRole.Controller }).Select(p => p.Spec!.Name).ToList();
        var rules = new List<RuleSpec>(list.Items.Count);
        for (var id = 0; id < list.Items.Count; id++)
        {
            if (ObjectReader.AsObject(list.Items[id], errors) is not { } node)
                continue;
            var reader = new ObjectReader(node, errors, Keys);
            var priority = reader.Int("priority", 0, RuleSpec.MaxPriority) ?? RuleSpec.DefaultPriority;
            var match = ReadMatch(reader, ports, errors);
            var action = ReadAction(reader, errors);
            var controller = ReadController(reader, action, ports, controllers, errors);
            if (match is not null && action is { } kind && (kind != RuleActionKind.Controller || controller is not null))
                rules.Add(new RuleSpec(id, priority, match, kind, controller));
        }
        return rules;
    }

    private static RuleMatchSpec? ReadMatch(ObjectReader rule, WrittenPorts ports, ErrorList errors)
    {
        if (rule.Find("match") is not { } value)
            return RuleMatchSpec.Any;
        if (ObjectReader.AsObject(value, errors) is not { } node)
            return null;
        var reader = new ObjectReader(node, errors, MatchKeys);
        var before = errors.Count;
        var inPort = ReadInPort(reader, ports, errors);
        var etherType = ReadNamed<ushort>(reader, "eth-type", RuleNames.EtherTypeExpectation, RuleNames.TryEtherType, errors);
        var protocol = ReadNamed<byte>(reader, "ip-proto", RuleNames.IpProtocolExpectation, RuleNames.TryIpProtocol, errors);
        var source = ReadPrefix(reader, "src", errors);
        var destination = ReadPrefix(reader, "dst", errors);
        var linkLocal = reader.Bool("link-local-src") ?? false;
        var ttl = (byte?)reader.Int("ttl", 1, 255);
        if (errors.Count > before)
            return null;

        var match = new RuleMatchSpec(inPort, etherType, protocol, source, destination, linkLocal, ttl);
        if (Contradiction(match) is { } problem)
        {
            errors.Add(reader.Path, problem);
            return null;
        }
        return match;
    }

    /// <summary>Why no frame could match <paramref name="match"/>, or null when some can.</summary>
    private static string? Contradiction(RuleMatchSpec match)
    {
        if (match.LinkLocalSource && match.Source is not null)
            return "src and link-local-src both match the source; keep one";
        var families = new List<(string Key, AddressFamily Family)>();
        if (match.Source is { } source) families.Add(("src", source.BaseAddress.AddressFamily));
        if (match.Destination is { } destination) families.Add(("dst", destination.BaseAddress.AddressFamily));
        if (match.EtherType is Wire.EtherType.Ipv4) families.Add(("eth-type", AddressFamily.InterNetwork));
        if (match.EtherType is Wire.EtherType.Ipv6) families.Add(("eth-type", AddressFamily.InterNetworkV6));
        if (families.DistinctBy(f => f.Family).Count() > 1)
            return $"{string.Join(" and ", families.Select(f => $"{f.Key} ({AddressText.FamilyName(f.Family)})"))} name different address families; no packet has both";
        var ipFields = IpFieldsNamed(match);
        if (match.EtherType is { } type and not (Wire.EtherType.Ipv4 or Wire.EtherType.Ipv6) && ipFields.Count > 0)
            return $"{string.Join(", ", ipFields)} match IP packets only, but eth-type is 0x{type:x4}";
        return null;
    }

    private static List<string> IpFieldsNamed(RuleMatchSpec match)
    {
        var fields = new List<string>();
        if (match.IpProtocol is not null) fields.Add("ip-proto");
        if (match.Source is not null) fields.Add("src");
        if (match.Destination is not null) fields.Add("dst");
        if (match.LinkLocalSource) fields.Add("link-local-src");
        if (match.Ttl is not null) fields.Add("ttl");
        return fields;
    }

    private static string? ReadInPort(ObjectReader reader, WrittenPorts ports, ErrorList errors)
    {
        if (reader.Scalar("in-port", "a device or peer name") is not { } written)
            return null;
        if (ports.Contains(written.Text))
            return written.Text;
        errors.Add(written.Path, $"no device or peer named {ValueText.Quote(written.Text)}");
        return null;
    }

    private delegate bool NameParser<T>(string text, out T value);

    private static T? ReadNamed<T>(ObjectReader reader, string key, string expectation, NameParser<T> parse, ErrorList errors) where T : struct
    {
        if (reader.Scalar(key, expectation) is not { } written)
            return null;
        if (parse(written.Text, out var value))
            return value;
        errors.Add(written.Path, $"must be {expectation}, got {written.Describe()}");
        return null;
    }

    private static IPNetwork? ReadPrefix(ObjectReader reader, string key, ErrorList errors)
    {
        const string shape = "an address or a prefix like 224.0.0.0/24";
        if (reader.Scalar(key, shape) is not { } written)
            return null;
        if (PrefixText.Parse(written.Text, shape, bareAddressAllowed: true, out var network) is not { } problem)
            return network;
        errors.Add(written.Path, problem);
        return null;
    }

    private static RuleActionKind? ReadAction(ObjectReader reader, ErrorList errors)
    {
        if (reader.Scalar("action", ActionExpectation, required: true) is not { } written)
            return null;
        switch (written.Text)
        {
            case "controller": return RuleActionKind.Controller;
            case "drop": return RuleActionKind.Drop;
            case "normal": return RuleActionKind.Normal;
        }
        errors.Add(written.Path, $"must be {ActionExpectation}, got {written.Describe()}");
        return null;
    }

    /// <summary>The controller a <c>controller</c> action sends to: the one named, or the lab's only one.</summary>
    private static string? ReadController(ObjectReader reader, RuleActionKind? action, WrittenPorts ports, IReadOnlyList<string> controllers, ErrorList errors)
    {
        var written = reader.Scalar("controller", "a controller peer's name");
        if (action is not RuleActionKind.Controller)
        {
            if (written is not null && action is { } other)
                errors.Add(written.Path, $"names where action controller sends, but this rule's action is {other.ToString().ToLowerInvariant()}");
            return null;
        }
        if (written is null)
        {
            switch (controllers.Count)
            {
                case 1:
                    return controllers[0];
                case 0:
                    errors.Add(reader.PathOf("action"), "controller needs a controller link: a peer with role = controller in engine.peers");
                    return null;
                default:
                    errors.Add(reader.PathOf("action"), $"the lab has {controllers.Count} controller links ({string.Join(", ", controllers)}); name one with controller = NAME");
                    return null;
            }
        }
        if (controllers.Contains(written.Text))
            return written.Text;
        if (ports.TryGetPeer(written.Text, out var peer) && peer.Spec is null)
            return null; // the peer's own errors are reported already
        errors.Add(written.Path, ports.Contains(written.Text)
            ? $"{ValueText.Quote(written.Text)} is not a controller link (role = controller)"
            : $"no peer named {ValueText.Quote(written.Text)}");
        return null;
    }
}
