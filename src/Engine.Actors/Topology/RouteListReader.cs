using System.Net;

namespace Engine.Actors.Topology;

/// <summary>Reads engine.routes: each prefix is a network address (no host bits) that can be
/// routed (not loopback or IPv4-mapped space), appears once,
/// and leaves through a device or peer the file declares and neither wires nor switches, or through a switch's router
/// interface (a switch with a gateway); a backup, when named, is another one.</summary>
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
            var via = ReadTarget(reader, "via", required: true, targetNames, unroutable, errors);
            var backup = ReadBackup(reader, via, targetNames, unroutable, errors);
            if (prefix is { } valid && via is not null)
                routes.Add(new RouteSpec(valid, via, backup));
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

    private static string? ReadBackup(ObjectReader reader, string? via, IReadOnlySet<string> targetNames, IReadOnlyDictionary<string, string> unroutable, ErrorList errors)
    {
        if (ReadTarget(reader, "backup", required: false, targetNames, unroutable, errors) is not { } backup)
            return null;
        if (backup == via)
        {
            errors.Add(reader.PathOf("backup"), $"{ValueText.Quote(backup)} is already the route's via; a backup is another device or peer");
            return null;
        }
        return backup;
    }

    private static string? ReadTarget(ObjectReader reader, string key, bool required, IReadOnlySet<string> targetNames,
        IReadOnlyDictionary<string, string> unroutable, ErrorList errors)
    {
        if (reader.Scalar(key, TargetExpectation, required) is not { } written)
            return null;
        if (!targetNames.Contains(written.Text))
        {
            errors.Add(written.Path, $"no device, peer or switch named {ValueText.Quote(written.Text)}");
            return null;
        }
        if (unroutable.TryGetValue(written.Text, out var reason))
        {
            errors.Add(written.Path, $"{ValueText.Quote(written.Text)} {reason}");
            return null;
        }
        return written.Text;
    }
}
