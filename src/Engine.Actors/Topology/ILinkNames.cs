namespace Engine.Actors.Topology;

/// <summary>
/// The link names the kernel already uses, which a device's fixed name must not take: the
/// device could not be created (or would attach to someone else's link). Read, never changed,
/// by `check` and `run` before anything is created; the file alone cannot tell.
/// </summary>
public interface ILinkNames
{
    /// <summary>Whether <paramref name="name"/> is a link in <paramref name="space"/> (null: the
    /// engine's own namespace) as far as can be known; a namespace that does not exist has only lo.</summary>
    bool IsTaken(string? space, string name);
}
