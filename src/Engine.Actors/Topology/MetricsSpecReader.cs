namespace Engine.Actors.Topology;

/// <summary>Reads <c>engine.metrics</c>: listen; absent means no endpoint.</summary>
internal static class MetricsSpecReader
{
    private static readonly string[] Keys = ["listen"];

    public static MetricsSpec? Read(ObjectReader engine, ErrorList errors)
    {
        if (engine.IsAbsent("metrics") || engine.Find("metrics") is not { } node || ObjectReader.AsObject(node, errors) is not { } section)
            return null;
        var reader = new ObjectReader(section, errors, Keys);
        if (reader.Scalar("listen", "an endpoint like 127.0.0.1:9108, or a port") is not { } written)
            return new MetricsSpec(MetricsSpec.DefaultListen);
        if (PeerEndpointText.ParseIP(written.Text, listen: true, out var endpoint) is { } problem)
        {
            errors.Add(written.Path, problem);
            return null;
        }
        return new MetricsSpec(endpoint!);
    }
}
