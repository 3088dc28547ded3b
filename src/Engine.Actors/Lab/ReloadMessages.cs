namespace Engine.Actors.Lab;

/// <summary>
/// Read the lab file again and apply it as a diff (<see cref="LabDiff"/>): `engine reload` and
/// SIGHUP. The sender gets a <see cref="ReloadAnswer"/>; SIGHUP's has no sender and is only logged.
/// </summary>
public sealed class ReloadLab
{
    public static readonly ReloadLab Instance = new();
}

/// <summary>What a reload did: <see cref="Applied"/>, or nothing and why (<see cref="Errors"/>).</summary>
/// <param name="Applied">The changes made; null when the reload changed nothing.</param>
/// <param name="Errors">One <c>path: reason</c> line per problem, or the reason it failed.</param>
/// <param name="BadInput">The file was at fault (exit 2), not the engine (exit 1).</param>
/// <param name="NotUp">Ports the reload started that were not up yet when it answered.</param>
public sealed record ReloadAnswer(LabDiff? Applied, IReadOnlyList<string> Errors, bool BadInput, IReadOnlyList<string> NotUp)
{
    public static ReloadAnswer Done(LabDiff diff, IReadOnlyList<string> notUp) => new(diff, [], false, notUp);

    public static ReloadAnswer Refused(IReadOnlyList<string> errors) => new(null, errors, true, []);

    public static ReloadAnswer Failed(string reason) => new(null, [reason], false, []);
}
