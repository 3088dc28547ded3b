namespace Engine.Actors.Topology;

/// <summary>
/// What was read from one entry of engine.devices, kept even when the entry has errors so that
/// the checks across devices (duplicate names, overlapping subnets, route targets) still run on
/// its valid parts instead of piling up follow-on errors.
/// </summary>
/// <param name="WrittenName">The name as written, valid or not: routes refer to it.</param>
/// <param name="Name">The name when it is valid.</param>
/// <param name="NamespaceKnown">False when the namespace key was invalid.</param>
/// <param name="Spec">Set only when the entry has no errors at all.</param>
internal sealed record DeviceEntry(
    string Path,
    string? WrittenName,
    string? Name,
    string? Namespace,
    bool NamespaceKnown,
    IReadOnlyList<PlacedAddress> Addresses,
    DeviceSpec? Spec);

/// <summary>A device address and where the file wrote it.</summary>
internal readonly record struct PlacedAddress(InterfaceAddress Address, string Path);
