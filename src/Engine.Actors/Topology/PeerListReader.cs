namespace Engine.Actors.Topology;

/// <summary>
/// engine.peers is reserved for socket peers (an SDN controller, a routing daemon, another
/// engine), which are not built yet. An empty list is accepted so files can carry the key; any
/// entry is one error, and the peers' names are kept so a route to one can say why it fails.
/// </summary>
internal static class PeerListReader
{
    public static IReadOnlySet<string> Read(ObjectReader engine, ErrorList errors)
    {
        if (engine.List("peers") is not { Items.Count: > 0 } list)
            return new HashSet<string>();
        errors.Add(list.Path, "socket peers are not supported yet");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in list.Items)
            if (item is HoconObjectNode peer && peer.Find("name") is HoconScalar name)
                names.Add(name.Text);
        return names;
    }
}
