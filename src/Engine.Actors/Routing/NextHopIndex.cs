namespace Engine.Actors.Routing;

/// <summary>The distinct next hops of a snapshot being built, each numbered once, in order of first use.</summary>
internal sealed class NextHopIndex(int portCount)
{
    private readonly Dictionary<NextHop, int> _index = [];
    private readonly List<NextHop> _hops = [];

    public int IndexOf(IpPrefix prefix, NextHop hop)
    {
        if (hop.Forwards && (hop.Port < 0 || hop.Port >= portCount)) throw new ArgumentException($"route {prefix} names port {hop.Port}, which does not exist");
        if (!_index.TryGetValue(hop, out var index))
        {
            _index.Add(hop, index = _hops.Count);
            _hops.Add(hop);
        }
        return index;
    }

    /// <summary>Next hops numbered so far.</summary>
    public int Count => _hops.Count;

    public NextHop[] ToArray() => [.. _hops];
}
