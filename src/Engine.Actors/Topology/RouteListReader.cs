using System.Net;

namespace Engine.Actors.Topology;

/// <summary>Reads engine.routes: each prefix is a network address (no host bits), appears once,
/// and leaves through a device the file declares.</summary>
internal static class RouteListReader
{
    private static readonly string[] Keys = ["prefix", "via"];

    public static IReadOnlyList<RouteSpec> Read(
        ObjectReader engine, IReadOnlySet<string> deviceNames, IReadOnlySet<string> peerNames, ErrorList errors)
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
            var via = ReadVia(reader, deviceNames, peerNames, errors);
            if (prefix is { } valid && via is not null)
                routes.Add(new RouteSpec(valid, via));
        }
        return routes;
    }

    private static IPNetwork? ReadPrefix(ObjectReader reader, ErrorList errors)
    {
        if (reader.Scalar("prefix", "a prefix like 10.0.1.0/24", required: true) is not { } written)
            return null;
        var text = written.Text;
        if (!AddressText.TryParseAddressAndLength(text, out var address, out var length))
        {
            errors.Add(written.Path, $"not a prefix like 10.0.1.0/24: {ValueText.Quote(text)}");
            return null;
        }
        var max = AddressText.MaxPrefixLength(address.AddressFamily);
        if (length > max)
        {
            errors.Add(written.Path,
                $"prefix length {length} is out of range for {AddressText.FamilyName(address.AddressFamily)} (0..{max}): {ValueText.Quote(text)}");
            return null;
        }
        // IPNetwork.TryParse clears host bits without a word; a route written with them is
        // usually an interface address pasted by mistake, so it is refused, not rounded down.
        if (!IPNetwork.TryParse(text, out var network) || !network.BaseAddress.Equals(address))
        {
            errors.Add(written.Path, $"host bits set in {text} (did you mean {AddressText.NetworkOf(address, length)}?)");
            return null;
        }
        return network;
    }

    private static string? ReadVia(ObjectReader reader, IReadOnlySet<string> deviceNames, IReadOnlySet<string> peerNames, ErrorList errors)
    {
        if (reader.Scalar("via", "a device name", required: true) is not { } written)
            return null;
        if (deviceNames.Contains(written.Text))
            return written.Text;
        errors.Add(written.Path, peerNames.Contains(written.Text)
            ? $"{ValueText.Quote(written.Text)} is a socket peer; socket peers are not supported yet"
            : $"no device named {ValueText.Quote(written.Text)}");
        return null;
    }
}
