namespace Engine.Actors.Topology;

/// <summary>Reads <c>engine.fpm</c>: listen, namespace, allow, grace; absent means no FPM server.</summary>
internal static class FpmSpecReader
{
    private static readonly string[] Keys = ["listen", "namespace", "allow", "grace"];

    public static FpmSpec? Read(ObjectReader engine, ErrorList errors)
    {
        if (engine.IsAbsent("fpm") || engine.Find("fpm") is not { } node || ObjectReader.AsObject(node, errors) is not { } section)
            return null;
        var errorsBefore = errors.Count;
        var reader = new ObjectReader(section, errors, Keys);
        var listen = FpmSpec.DefaultListen;
        if (reader.Scalar("listen", "an endpoint like 127.0.0.1:2620, or a port") is { } written)
        {
            if (PeerEndpointText.ParseIP(written.Text, listen: true, out var endpoint) is { } problem)
                errors.Add(written.Path, problem);
            else
                listen = endpoint!;
        }
        string? space = null;
        if (reader.Scalar("namespace", "a namespace name") is { } spaceWritten)
        {
            if (LinuxNames.NamespaceNameProblem(spaceWritten.Text) is { } problem)
                errors.Add(spaceWritten.Path, problem);
            space = spaceWritten.Text;
        }
        var allow = AllowText.Read(reader.ScalarOrList("allow", "a prefix or an address"), errors);
        var grace = reader.Duration("grace", TimeSpan.Zero, FpmSpec.MaxGrace) ?? FpmSpec.DefaultGrace;
        return errors.Count == errorsBefore ? new FpmSpec(listen, space, allow, grace) : null;
    }
}
