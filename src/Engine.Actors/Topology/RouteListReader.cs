using System.Net;

namespace Engine.Actors.Topology;

/// <summary>Reads engine.routes: each prefix is a network address (no host bits) that can be
/// routed (not loopback or IPv4-mapped space), appears once,
/// and leaves through a device or peer the file declares and neither wires nor switches, through a switch's router
/// interface (a switch with a gateway), or towards a next-hop address of the prefix's family (a name is read as a
/// name first); a backup, when named, is another one. Which port a next hop is on is <see cref="RoutePlan"/>'s.</summary>
internal static class RouteListReader
{
    private static readonly string[] Keys = ["prefix", "via", "backup"];
    private const string TargetExpectation = "a device, peer or switch name";

    /// <param name="targetNames">Every device and peer name as written, valid or not, and every switch's: a route to
    /// an entry that has errors of its own is not reported again.</param>
    /// <param name="unroutable">Each port that takes part in no routing (wired or switched) and each switch without a
    /// gateway, with why, as "is ...".</param>
    public static IReadOnlyList<RouteSpec> Read(ObjectReader engine, IReadOnlySet<string> targetNames, IReadOnlyDictionary<string, string> unroutable, ErrorList errors)
    {
        if (engine.List("routes") is not { } list)
            return [];
        var routes = new List<RouteSpec>(list.Items.Count);
        var firstWithPrefix = new Dictionary<IPNetwork, string>();
        foreach (var item in list.Items)
        {
            if (ObjectReader.AsObject(item, errors) is not { } route)
                continue;
            var reader = new ObjectReader(route, errors, Keys);
            var prefix = ReadPrefix(reader, errors);
            if (prefix is { } network && !firstWithPrefix.TryAdd(network, route.Path))
            {
                errors.Add(reader.PathOf("prefix"), $"duplicate route {network} (also {firstWithPrefix[network]})");
                prefix = null;
            }
            if (reader.Find("via") is HoconList paths)
            {
                if (ReadPaths(reader, paths, prefix, errors) is { } ecmp && prefix is { } routed)
                    routes.Add(new RouteSpec(routed, ecmp[0].ToString()) { NextHop = ecmp[0], Paths = [.. ecmp] });
                continue;
            }
            var via = ReadTarget(reader, "via", required: true, prefix, targetNames, unroutable, errors);
            var backup = ReadBackup(reader, via?.Text, prefix, targetNames, unroutable, errors);
            if (prefix is { } valid && via is not null)
                routes.Add(new RouteSpec(valid, via.Value.Text, backup?.Text) { NextHop = via.Value.Address, BackupNextHop = backup?.Address });
        }
        return routes;
    }

    private static IPNetwork? ReadPrefix(ObjectReader reader, ErrorList errors)
    {
        if (reader.Scalar("prefix", "a prefix like 10.0.1.0/24", required: true) is not { } written)
            return null;
        if (PrefixText.Parse(written.Text, "a prefix like 10.0.1.0/24", bareAddressAllowed: false, out var network) is { } problem)
        {
            errors.Add(written.Path, problem);
            return null;
        }
        if (AddressKinds.NeverRouted(network) is { } kind)
        {
            errors.Add(written.Path, $"{network} is {kind}");
            return null;
        }
        return network;
    }

    /// <summary>A via of several next-hop addresses (ECMP): at least two, each once, and no backup beside them.</summary>
    private static List<IPAddress>? ReadPaths(ObjectReader reader, HoconList list, IPNetwork? prefix, ErrorList errors)
    {
        var errorsBefore = errors.Count;
        var paths = new List<IPAddress>();
        if (list.Items.Count < 2)
            errors.Add(reader.PathOf("via"), "a list of next hops spreads flows over at least two; write one as via = ADDRESS");
        else
            foreach (var item in list.Items)
            {
                if (ObjectReader.AsScalar(item, "a next-hop address", errors) is not { } written || ReadNextHop(written, prefix, errors) is not { Address: { } address })
                    continue;
                if (paths.Contains(address))
                    errors.Add(written.Path, $"next hop {address} is listed twice");
                else
                    paths.Add(address);
            }
        if (!reader.IsAbsent("backup"))
            errors.Add(reader.PathOf("backup"), "a route over several next hops has no backup: flows move to the others when one cannot be reached");
        return errors.Count == errorsBefore ? paths : null;
    }

    private static Target? ReadBackup(ObjectReader reader, string? via, IPNetwork? prefix, IReadOnlySet<string> targetNames,
        IReadOnlyDictionary<string, string> unroutable, ErrorList errors)
    {
        if (ReadTarget(reader, "backup", required: false, prefix, targetNames, unroutable, errors) is not { } backup)
            return null;
        if (backup.Text == via)
        {
            errors.Add(reader.PathOf("backup"), $"{ValueText.Quote(backup.Text)} is already the route's via; a backup is another device or peer");
            return null;
        }
        return backup;
    }

    private static Target? ReadTarget(ObjectReader reader, string key, bool required, IPNetwork? prefix, IReadOnlySet<string> targetNames,
        IReadOnlyDictionary<string, string> unroutable, ErrorList errors)
    {
        if (reader.Scalar(key, TargetExpectation, required) is not { } written)
            return null;
        if (!targetNames.Contains(written.Text))
            return ReadNextHop(written, prefix, errors);
        if (unroutable.TryGetValue(written.Text, out var reason))
        {
            errors.Add(written.Path, $"{ValueText.Quote(written.Text)} {reason}");
            return null;
        }
        return new Target(written.Text, null);
    }

    /// <summary>A next hop is one host's unicast address of the prefix's family; which port it is on is found later.</summary>
    private static Target? ReadNextHop(HoconScalar written, IPNetwork? prefix, ErrorList errors)
    {
        if (!AddressText.TryParseAddress(written.Text, out var address))
        {
            errors.Add(written.Path, $"no device, peer or switch named {ValueText.Quote(written.Text)}");
            return null;
        }
        var problem = AddressKinds.NotUnicast(address)
            ?? (AddressKinds.IsLoopback(address) ? "a loopback address" : null)
            ?? (prefix is { } network && network.BaseAddress.AddressFamily != address.AddressFamily
                ? $"an {AddressText.FamilyName(address.AddressFamily)} address: the next hop of an {AddressText.FamilyName(network.BaseAddress.AddressFamily)} route is an address of its family"
                : null);
        if (problem is not null)
        {
            errors.Add(written.Path, $"next hop {address} is {problem}");
            return null;
        }
        return new Target(address.ToString(), address);
    }

    /// <summary>What a route's via or backup names: a port (by <see cref="Text"/>) or a next-hop <see cref="Address"/>.</summary>
    private readonly record struct Target(string Text, IPAddress? Address);
}
