using Akka.Configuration.Hocon;

namespace Engine.Actors.Topology;

/// <summary>
/// Turns Akka's HOCON parse tree into <see cref="HoconNode"/>s with key paths, smoothing over the
/// parser's habits so that validators see plain values:
/// <list type="bullet">
/// <item>whitespace before a comma or a closing bracket is kept as an extra literal ("tun-a ");</item>
/// <item><c>[ ]</c> and a leading comma leave empty elements in a list;</item>
/// <item>substitutions are resolved but left as links, and links may form a circle.</item>
/// </list>
/// Concatenations follow HOCON: text joins into one string, lists join into one list, objects merge.
/// </summary>
internal static class HoconTree
{
    // Brackets are already limited to a depth of 64 by HoconSyntaxCheck; anything deeper
    // comes from substitutions that refer to themselves.
    private const int MaxDepth = 100;

    public static HoconNode Build(HoconValue value, string path, ErrorList errors) => Build(value, path, errors, 0);

    private static HoconNode Build(HoconValue value, string path, ErrorList errors, int depth)
    {
        var elements = new List<IHoconElement>();
        if (!TryFlatten(value, elements, depth))
        {
            errors.Add(path, "substitutions refer to each other in a circle");
            return new HoconInvalid(path);
        }
        TrimBlankEnds(elements);
        if (elements.Count == 0)
            return new HoconNull(path);
        if (elements.TrueForAll(element => element is HoconLiteral))
            return Scalar(elements, path);

        elements.RemoveAll(IsBlank);
        if (elements.TrueForAll(element => element is HoconArray))
            return List(elements, path, errors, depth);
        if (elements.TrueForAll(element => element is HoconObject))
            return Object(elements, path, errors, depth);

        errors.Add(path, "mixes text, lists and objects in one value");
        return new HoconInvalid(path);
    }

    private static bool TryFlatten(HoconValue value, List<IHoconElement> into, int depth)
    {
        if (depth > MaxDepth)
            return false;
        foreach (var element in value.Values)
        {
            if (element is not HoconSubstitution substitution)
                into.Add(element);
            else if (substitution.ResolvedValue is { } resolved && !TryFlatten(resolved, into, depth + 1))
                return false;
        }
        return true;
    }

    private static HoconNode Scalar(List<IHoconElement> literals, string path)
    {
        if (literals.Count == 1 && ((HoconLiteral)literals[0]).Value == "null")
            return new HoconNull(path);
        var text = string.Concat(literals.Select(literal => ((HoconLiteral)literal).Value));
        return new HoconScalar(path, text);
    }

    private static HoconList List(List<IHoconElement> arrays, string path, ErrorList errors, int depth)
    {
        var items = new List<HoconNode>();
        foreach (var array in arrays.Cast<HoconArray>())
            foreach (var item in array)
            {
                // An empty element is an artefact of "[ ]" or a stray comma, not a value the file wrote.
                if (IsEmpty(item))
                    continue;
                items.Add(Build(item, HoconPath.Index(path, items.Count), errors, depth + 1));
            }
        return new HoconList(path, items);
    }

    private static HoconObjectNode Object(List<IHoconElement> objects, string path, ErrorList errors, int depth)
    {
        var merged = new Dictionary<string, HoconValue>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var hoconObject in objects.Cast<HoconObject>())
            foreach (var (key, value) in hoconObject.Items)
            {
                if (!merged.ContainsKey(key))
                    order.Add(key);
                merged[key] = value;
            }
        var members = new List<KeyValuePair<string, HoconNode>>(order.Count);
        foreach (var key in order)
            members.Add(new(key, Build(merged[key], HoconPath.Key(path, key), errors, depth + 1)));
        return new HoconObjectNode(path, members);
    }

    private static bool IsEmpty(HoconValue value) => value.Values.Count == 0;

    private static bool IsBlank(IHoconElement element) =>
        element is HoconLiteral literal && string.IsNullOrWhiteSpace(literal.Value);

    private static void TrimBlankEnds(List<IHoconElement> elements)
    {
        // A lone blank literal is a value the file quoted (" "); only padding around others goes.
        while (elements.Count > 1 && IsBlank(elements[^1]))
            elements.RemoveAt(elements.Count - 1);
        while (elements.Count > 1 && IsBlank(elements[0]))
            elements.RemoveAt(0);
    }
}
