namespace Engine.Actors.Topology;

/// <summary>
/// Reads engine.peers: the socket links to an SDN controller, a routing daemon or another engine.
/// Routes name devices and peers alike, so a peer's name must differ from every device's as well
/// as from every other peer's.
/// </summary>
internal static class PeerListReader
{
    public static IReadOnlyList<PeerEntry> Read(ObjectReader engine, IReadOnlyList<DeviceEntry> devices, ErrorList errors)
    {
        if (engine.List("peers") is not { } list)
            return [];
        var entries = new List<PeerEntry>(list.Items.Count);
        foreach (var item in list.Items)
            if (PeerSpecReader.Read(item, errors) is { } entry)
                entries.Add(entry);
        ReportDuplicateNames(entries, devices, errors);
        return entries;
    }

    private static void ReportDuplicateNames(List<PeerEntry> entries, IReadOnlyList<DeviceEntry> devices, ErrorList errors)
    {
        var deviceWithName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var device in devices)
            if (device.Name is { } name)
                deviceWithName.TryAdd(name, device.Path);
        var peerWithName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (entry.Name is not { } name)
                continue;
            var path = HoconPath.Key(entry.Path, "name");
            if (deviceWithName.TryGetValue(name, out var device))
                errors.Add(path, $"duplicate name {ValueText.Quote(name)} (also {device}): devices and peers share one set of names");
            else if (!peerWithName.TryAdd(name, entry.Path))
                errors.Add(path, $"duplicate peer name {ValueText.Quote(name)} (also {peerWithName[name]})");
        }
    }
}
