namespace Engine.Actors.Topology;

/// <summary>
/// What was read from one entry of engine.peers, kept even when the entry has errors so that the
/// checks across entries (names shared with devices, route targets) run without follow-on errors.
/// </summary>
/// <param name="WrittenName">The name as written, valid or not: routes refer to it.</param>
/// <param name="Name">The name when it is valid.</param>
/// <param name="Spec">Set only when the entry has no errors at all.</param>
internal sealed record PeerEntry(string Path, string? WrittenName, string? Name, PeerSpec? Spec);
