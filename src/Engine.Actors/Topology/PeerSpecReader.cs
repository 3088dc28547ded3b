namespace Engine.Actors.Topology;

/// <summary>Reads and checks one entry of engine.peers on its own; see
/// <see cref="PeerListReader"/> for the checks across entries.</summary>
internal static class PeerSpecReader
{
    private static readonly string[] Keys =
    [
        "name", "role", "transport", "framing", "connect", "listen", "namespace", "allow", "key", "mtu",
        "reconnect-min", "reconnect-max", "keepalive", "dead-peer-timeout", "send-queue",
        "stall-timeout",
    ];

    public static PeerEntry? Read(HoconNode node, ErrorList errors)
    {
        if (ObjectReader.AsObject(node, errors) is not { } peer)
            return null;
        var errorsBefore = errors.Count;
        var reader = new ObjectReader(peer, errors, Keys);

        var writtenName = reader.Scalar("name", "a peer name", required: true)?.Text;
        var name = CheckName(reader, writtenName, errors);
        var role = ReadChoice(reader, "role", PeerNames.Roles, errors);
        var transport = ReadChoice(reader, "transport", PeerNames.Transports, errors);
        var framing = ReadFraming(reader, transport, role, errors);
        var endpoints = PeerEndpointRules.Read(reader, transport, errors);
        var space = ReadNamespace(reader, errors);
        var key = ReadKey(reader, framing, errors);
        var mtu = reader.Int("mtu", DeviceSpec.MinMtu, DeviceSpec.MaxMtu);
        var reconnect = PeerTimingRules.ReadReconnect(reader, errors);
        var liveness = PeerTimingRules.ReadLiveness(reader, errors);
        var sendQueue = reader.Int("send-queue", 1, PeerSpec.MaxSendQueue) ?? PeerSpec.DefaultSendQueue;
        var stallTimeout = PeerTimingRules.ReadStallTimeout(reader);

        PeerSpec? spec = null;
        if (errors.Count == errorsBefore && name is not null && role is { } knownRole && transport is { } knownTransport && framing is { } knownFraming)
            spec = new PeerSpec(name, knownRole, knownTransport, knownFraming, endpoints.Connect, endpoints.Listen, space,
                endpoints.Allow, key, mtu, reconnect.Min, reconnect.Max, liveness.Keepalive, liveness.DeadPeerTimeout, sendQueue)
            {
                StallTimeout = stallTimeout,
            };
        return new PeerEntry(peer.Path, writtenName, name, spec);
    }

    private static string? CheckName(ObjectReader reader, string? name, ErrorList errors)
    {
        if (name is null)
            return null;
        if (LinuxNames.PeerNameProblem(name) is { } problem)
        {
            errors.Add(reader.PathOf("name"), problem);
            return null;
        }
        return name;
    }

    private static T? ReadChoice<T>(ObjectReader reader, string key, (string Name, T Value)[] choices, ErrorList errors)
        where T : struct, Enum
    {
        var expectation = PeerNames.Choices(choices);
        if (reader.Scalar(key, expectation, required: true) is not { } written)
            return null;
        if (PeerNames.TryParse(choices, written.Text, out var value))
            return value;
        errors.Add(written.Path, $"must be {expectation}, got {written.Describe()}");
        return null;
    }

    /// <summary>The framing must suit the transport's kind of socket, and a controller's frames
    /// carry port tags, which only the engine framing has room for.</summary>
    private static PeerFraming? ReadFraming(ObjectReader reader, PeerTransport? transport, PeerRole? role, ErrorList errors)
    {
        const string forController = "a controller needs framing = engine: its frames carry port tags";
        if (reader.IsAbsent("framing"))
        {
            if (transport is not { } known)
                return null;
            var framing = known == PeerTransport.Udp ? PeerFraming.Datagram : PeerFraming.Length16;
            if (role != PeerRole.Controller)
                return framing;
            errors.Add(reader.PathOf("framing"), $"{forController} (the default for {PeerNames.Of(known)} is {PeerNames.Of(framing)})");
            return null;
        }
        if (ReadChoice(reader, "framing", PeerNames.Framings, errors) is not { } chosen)
            return null;
        var problem = (chosen, transport) switch
        {
            (PeerFraming.Length16, PeerTransport.Udp) => "length16 frames a byte stream; udp keeps packet boundaries: use datagram",
            (PeerFraming.Datagram, PeerTransport.Tcp or PeerTransport.Unix) =>
                $"datagram relies on udp's packet boundaries; a {PeerNames.Of(transport.Value)} stream needs length16 or engine",
            (not PeerFraming.Engine, _) when role == PeerRole.Controller => forController,
            _ => null,
        };
        if (problem is null)
            return chosen;
        errors.Add(reader.PathOf("framing"), problem);
        return null;
    }

    private static string? ReadNamespace(ObjectReader reader, ErrorList errors)
    {
        if (reader.Scalar("namespace", "a namespace name") is not { } written)
            return null;
        if (LinuxNames.NamespaceNameProblem(written.Text) is { } problem)
            errors.Add(written.Path, problem);
        return written.Text;
    }

    /// <summary>The key is a secret: errors describe it, never show it.</summary>
    private static string? ReadKey(ObjectReader reader, PeerFraming? framing, ErrorList errors)
    {
        if (reader.Scalar("key", "a shared secret") is not { } written)
            return null;
        if (written.Text.Length < PeerSpec.MinKeyLength)
            errors.Add(written.Path, $"a key must be at least {PeerSpec.MinKeyLength} characters long; this one has {written.Text.Length}");
        else if (framing is { } known && known != PeerFraming.Engine)
            errors.Add(written.Path, $"a key needs framing = engine; {PeerNames.Of(known)} carries no authentication");
        return written.Text;
    }
}
