namespace Engine.Actors.Routing;

/// <summary>
/// The wires of one port: where each frame that comes in on it goes, past the router. A port
/// carries one wire, untagged; an <c>engine</c>-framing link may carry several, told apart by the
/// DATA message's port field, which holds the wire's position among that link's wires in the lab
/// file (the engines at both ends list them in the same order).
/// </summary>
public sealed class PortWires
{
    private readonly WireEnd[] _ends;

    /// <param name="ends">The far end of each wire, by tag (a single one when <paramref name="tagged"/> is false).</param>
    public PortWires(IReadOnlyList<WireEnd> ends, bool tagged)
    {
        if (ends.Count == 0 || (!tagged && ends.Count != 1))
            throw new ArgumentException("an untagged port carries exactly one wire, a tagged one at least one", nameof(ends));
        _ends = [.. ends];
        IsTagged = tagged;
    }

    /// <summary>Frames on this port carry their wire's tag.</summary>
    public bool IsTagged { get; }

    public IReadOnlyList<WireEnd> Ends => _ends;

    /// <summary>Whether <paramref name="a"/> and <paramref name="b"/> lead to the same ends with the same tags (both null: no wire).</summary>
    public static bool Same(PortWires? a, PortWires? b) =>
        a is null || b is null ? a == b : a.IsTagged == b.IsTagged && a._ends.AsSpan().SequenceEqual(b._ends);

    /// <summary>The far end for a frame that came in with <paramref name="tag"/>; false when the tag names no wire.</summary>
    public bool TryFind(int tag, out WireEnd end)
    {
        var index = IsTagged ? tag : 0;
        if ((uint)index < (uint)_ends.Length)
        {
            end = _ends[index];
            return true;
        }
        end = default;
        return false;
    }
}

/// <summary>The far end of a wire: its port, and the tag frames carry there (-1: that port is untagged).</summary>
public readonly record struct WireEnd(int Port, int Tag);
