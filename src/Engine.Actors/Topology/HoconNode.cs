namespace Engine.Actors.Topology;

/// <summary>
/// A HOCON value reduced to the four shapes the schema cares about, each knowing its key path.
/// <see cref="HoconTree"/> builds these from Akka's parse tree; validators only ever see these.
/// </summary>
internal abstract class HoconNode(string path)
{
    public string Path { get; } = path;

    /// <summary>For "must be X, got Y" errors.</summary>
    public abstract string Describe();
}

internal sealed class HoconScalar(string path, string text) : HoconNode(path)
{
    public string Text { get; } = text;

    public override string Describe() => ValueText.Show(Text);
}

internal sealed class HoconList(string path, IReadOnlyList<HoconNode> items) : HoconNode(path)
{
    public IReadOnlyList<HoconNode> Items { get; } = items;

    public override string Describe() => "a list";
}

internal sealed class HoconObjectNode(string path, IReadOnlyList<KeyValuePair<string, HoconNode>> members) : HoconNode(path)
{
    /// <summary>In document order.</summary>
    public IReadOnlyList<KeyValuePair<string, HoconNode>> Members { get; } = members;

    public HoconNode? Find(string key)
    {
        foreach (var member in Members)
            if (member.Key == key)
                return member.Value;
        return null;
    }

    public override string Describe() => "an object";
}

/// <summary>An explicit <c>null</c> or an empty value: the same as leaving the key out.</summary>
internal sealed class HoconNull(string path) : HoconNode(path)
{
    public override string Describe() => "null";
}

/// <summary>A value whose problem was already reported while building the tree; readers skip it
/// silently so one mistake gives one error.</summary>
internal sealed class HoconInvalid(string path) : HoconNode(path)
{
    public override string Describe() => "an invalid value";
}
