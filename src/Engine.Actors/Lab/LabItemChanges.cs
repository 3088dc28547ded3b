namespace Engine.Actors.Lab;

/// <summary>
/// What a reload does to one kind of item (devices, peers, routes, switches or wires), each named
/// by its key: added, removed, or changed (removed and created again); the rest is untouched.
/// </summary>
public sealed record LabItemChanges(IReadOnlyList<string> Added, IReadOnlyList<string> Removed, IReadOnlyList<string> Changed)
{
    public static readonly LabItemChanges None = new([], [], []);

    public bool IsEmpty => Added.Count == 0 && Removed.Count == 0 && Changed.Count == 0;

    /// <summary>
    /// The items of <paramref name="next"/> against those of <paramref name="running"/>, matched by
    /// <paramref name="key"/> (the first of a key counts) and compared with <paramref name="same"/>.
    /// </summary>
    public static LabItemChanges Between<T>(IEnumerable<T> running, IEnumerable<T> next, Func<T, string> key, Func<T, T, bool> same)
    {
        var before = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var item in running) before.TryAdd(key(item), item);
        var after = new Dictionary<string, T>(StringComparer.Ordinal);
        List<string> added = [], changed = [];
        foreach (var item in next)
        {
            var name = key(item);
            if (!after.TryAdd(name, item)) continue;
            if (!before.TryGetValue(name, out var old)) added.Add(name);
            else if (!same(old, item)) changed.Add(name);
        }
        var removed = before.Keys.Where(name => !after.ContainsKey(name)).ToList();
        return added.Count == 0 && removed.Count == 0 && changed.Count == 0 ? None : new LabItemChanges(added, removed, changed);
    }

    /// <summary>Every name this touches: added, removed or changed.</summary>
    public IEnumerable<string> Touched => Added.Concat(Removed).Concat(Changed);
}
