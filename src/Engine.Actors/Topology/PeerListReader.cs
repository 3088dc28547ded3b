using System.Net;
using System.Net.Sockets;

namespace Engine.Actors.Topology;

/// <summary>
/// Reads engine.peers: the socket links to an SDN controller, a routing daemon or another engine.
/// Routes name devices and peers alike, so a peer's name must differ from every device's as well
/// as from every other peer's. Two listeners cannot bind one address: the second run of the
/// lab's builder would fail halfway with EADDRINUSE.
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
        ReportSharedListeners(entries, errors);
        return entries;
    }

    private static void ReportSharedListeners(List<PeerEntry> entries, ErrorList errors)
    {
        for (var later = 1; later < entries.Count; later++)
        {
            if (entries[later].Spec is not { Listen: { } listen } peer)
                continue;
            for (var earlier = 0; earlier < later; earlier++)
            {
                if (entries[earlier].Spec is not { Listen: { } other } earlierPeer || !BindsTheSame(peer, listen, earlierPeer, other))
                    continue;
                errors.Add(HoconPath.Key(entries[later].Path, "listen"),
                    $"{entries[earlier].Path} already listens on {other} ({PeerNames.Of(peer.Transport)}, in {DeviceNameRules.Where(peer.Namespace)})");
                break;
            }
        }
    }

    /// <summary>One address, or the same port once with the family's wildcard address. A unix
    /// socket path is a file, shared by every namespace; an abstract name (@name) is not.</summary>
    private static bool BindsTheSame(PeerSpec peer, EndPoint listen, PeerSpec other, EndPoint otherListen)
    {
        if (peer.Transport != other.Transport)
            return false;
        if (listen is UnixDomainSocketEndPoint unix)
            return unix.ToString() == otherListen.ToString() && (!IsAbstract(unix) || peer.Namespace == other.Namespace);
        if (peer.Namespace != other.Namespace || listen is not IPEndPoint ip || otherListen is not IPEndPoint otherIp)
            return false;
        if (ip.Port != otherIp.Port || ip.AddressFamily != otherIp.AddressFamily)
            return false;
        return ip.Address.Equals(otherIp.Address) || IsWildcard(ip.Address) || IsWildcard(otherIp.Address);
    }

    private static bool IsWildcard(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

    private static bool IsAbstract(UnixDomainSocketEndPoint endPoint) => endPoint.ToString() is ['@' or '\0', ..];

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
