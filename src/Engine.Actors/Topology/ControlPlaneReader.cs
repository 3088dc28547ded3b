namespace Engine.Actors.Topology;

/// <summary>
/// Reads <c>engine.control-plane { namespace = NAME }</c>. The namespace is the control plane's
/// own: no device or peer of the lab may use it, and every routed port's name must be one an
/// interface can take, since each is mirrored there under that name.
/// </summary>
internal static class ControlPlaneReader
{
    public const string Key = "control-plane";
    private static readonly string[] Keys = ["namespace"];

    public static ControlPlaneSpec? Read(ObjectReader engine, IReadOnlyList<DeviceEntry> devices, IReadOnlyList<PeerEntry> peers, ErrorList errors)
    {
        if (engine.Find(Key) is not { } value || ObjectReader.AsObject(value, errors) is not { } section)
            return null;
        var reader = new ObjectReader(section, errors, Keys);
        if (reader.Scalar("namespace", "a namespace name", required: true) is not { } written)
            return null;
        if (LinuxNames.NamespaceNameProblem(written.Text) is { } problem)
        {
            errors.Add(written.Path, problem);
            return null;
        }
        var name = written.Text;
        foreach (var device in devices)
            if (device.Namespace == name)
                errors.Add(written.Path, $"{ValueText.Quote(name)} is the namespace of device {device.Name ?? device.WrittenName}: the control plane needs a namespace of its own");
        foreach (var peer in peers)
            if (peer.Spec?.Namespace == name)
                errors.Add(written.Path, $"{ValueText.Quote(name)} is the namespace of peer {peer.Spec.Name}: the control plane needs a namespace of its own");
        return new ControlPlaneSpec(name);
    }

    /// <summary>A routed port whose name no interface can take (a peer's or switch's longer name, a "%d" template) cannot be mirrored.</summary>
    public static void CheckMirrorNames(LabTopology lab, string path, ErrorList errors)
    {
        foreach (var mirror in ControlPlanePlan.Mirrors(lab))
        {
            if (mirror.Device.IsNameTemplate)
                errors.Add(path, $"cannot mirror {mirror.Device.Name}: a name the kernel assigns is unknown until it runs; give the device a fixed name");
            else if (LinuxNames.InterfaceNameProblem(mirror.Device.Name) is { } problem)
                errors.Add(path, $"cannot mirror {mirror.Device.Name}: {problem}");
        }
    }
}
