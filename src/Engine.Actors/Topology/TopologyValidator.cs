using System.Collections.Immutable;

namespace Engine.Actors.Topology;

/// <summary>
/// The schema of the <c>engine</c> section, applied to an already-parsed tree: every rule runs and
/// every problem is collected, then a <see cref="LabTopology"/> is built only if there were none.
/// </summary>
internal static class TopologyValidator
{
    private static readonly string[] EngineKeys = ["counters-interval", "batch-size", "log-file", "devices", "routes", "peers"];

    /// <param name="engine">The value of the top-level <c>engine</c> key, or null when absent.</param>
    public static LabTopology? Validate(HoconNode? engine, ErrorList errors)
    {
        if (engine is null or HoconNull)
        {
            errors.Add("engine", "required");
            return null;
        }
        if (ObjectReader.AsObject(engine, errors) is not { } section)
            return null;

        var reader = new ObjectReader(section, errors, EngineKeys);
        var settings = SettingsReader.Read(reader, errors);
        var devices = DeviceListReader.Read(reader, errors);
        var peerNames = PeerListReader.Read(reader, errors);
        var routes = RouteListReader.Read(reader, WrittenNames(devices), peerNames, errors);
        if (errors.Count > 0)
            return null;

        var specs = ImmutableArray.CreateBuilder<DeviceSpec>(devices.Count);
        foreach (var device in devices)
            specs.Add(device.Spec ?? throw new InvalidOperationException($"{device.Path} has no errors but no spec"));
        return new LabTopology(settings, specs.MoveToImmutable(), [.. routes]);
    }

    private static HashSet<string> WrittenNames(IReadOnlyList<DeviceEntry> devices)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var device in devices)
            if (device.WrittenName is { } name)
                names.Add(name);
        return names;
    }
}
