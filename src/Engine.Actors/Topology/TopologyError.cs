namespace Engine.Actors.Topology;

/// <summary>
/// One problem in a lab file, named by the HOCON key path with list indices:
/// "engine.devices[1].type: must be tun or tap, got "tan"".
/// </summary>
public sealed record TopologyError(string Path, string Reason)
{
    public override string ToString() => $"{Path}: {Reason}";
}
