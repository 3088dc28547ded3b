using System.Runtime.CompilerServices;

namespace Engine.Actors.Routing;

/// <summary>
/// Changes an <see cref="Ipv4PrefixTable"/> prefix by prefix and publishes immutable tables that
/// share every node the changes since the last one did not touch: a publish costs the changes,
/// not the table, and a table already published is never written again. Copy on write: the root
/// (256 KiB), its node references (512 KiB) and the array naming the nodes are copied at the
/// first change after a publish, and a node at the first change to it; a node created or copied
/// since the last publish is written in place.
/// </summary>
/// <remarks>
/// A leaf carries the length of the prefix that set it, so a change touches only what is its
/// own: setting a prefix overwrites the entries it covers whose prefix is no longer than it
/// (entries a longer prefix set stay), and removing one puts the value of its best shorter
/// prefix back where its own length is. That value comes from whoever owns the routes
/// (<c>valueOf</c>), as they stand once the whole batch is applied; so the changes of a batch
/// may come in any order. A node left holding one value pushed from above is folded back into
/// its parent's entry and its index reused. The root's node references, which only lookups
/// read, are brought in line with the root entries and nodes a change touched at its end. Not thread-safe: one owner edits, any number of
/// threads read what it publishes.
/// </remarks>
internal sealed class Ipv4PrefixTableEditor
{
    private const int Level2End = Ipv4PrefixTable.RootBits + 8;
    private const int Root = -1;

    private readonly Func<uint, int, int> _valueOf;
    private readonly Stack<int> _free = new();
    private int[] _root;
    private int[]?[] _rootNodes;
    private int[]?[] _nodes;
    private bool _rootOwned;
    private bool _rootNodesOwned;
    private bool _nodesOwned;
    // The generation a node was created or copied in: it may be written in place while that is the current one.
    private int[] _ownedIn;
    private int _generation = 1;
    private int _used;

    /// <param name="start">The table to go on from; it stays as it is.</param>
    /// <param name="valueOf">The value of exactly the prefix (network, length) after the changes, or <see cref="Ipv4PrefixTable.NoMatch"/>.</param>
    public Ipv4PrefixTableEditor(Ipv4PrefixTable start, Func<uint, int, int> valueOf)
    {
        _valueOf = valueOf;
        _root = start.Root;
        _rootNodes = start.RootNodes;
        _nodes = start.Nodes;
        _ownedIn = new int[_nodes.Length];
        _used = _nodes.Length;
        for (var i = _nodes.Length - 1; i >= 0; i--)
            if (_nodes[i] is null) _free.Push(i);
    }

    /// <summary>Nodes in use, for sizing and tests.</summary>
    public int NodeCount => _used - _free.Count;

    /// <summary>Adds the prefix (network, length) with value, or gives it that value.</summary>
    public void Set(uint network, int length, int value)
    {
        if (value is < 0 or >= Ipv4PrefixTable.ValueLimit)
            throw new ArgumentOutOfRangeException(nameof(value), value, $"a value must be >= 0 and < {Ipv4PrefixTable.ValueLimit}");
        Change(network, length, new Edit(length, Ipv4PrefixTable.Leaf(value, length), Removing: false));
    }

    /// <summary>Removes the prefix (network, length): what it covered goes to its best shorter prefix.</summary>
    public void Remove(uint network, int length)
    {
        var replacement = Ipv4PrefixTable.NoMatch;
        for (var shorter = length - 1; shorter >= 0; shorter--)
        {
            var value = _valueOf(network & (uint)IpPrefix.Ipv4Mask(shorter), shorter);
            if (value == Ipv4PrefixTable.NoMatch) continue;
            replacement = Ipv4PrefixTable.Leaf(value, shorter);
            break;
        }
        Change(network, length, new Edit(length, replacement, Removing: true));
    }

    /// <summary>The table as changed so far, holding <paramref name="count"/> prefixes; later changes copy what they touch.</summary>
    public Ipv4PrefixTable Publish(int count)
    {
        _rootOwned = false;
        _rootNodesOwned = false;
        _nodesOwned = false;
        _generation++;
        return new Ipv4PrefixTable(_root, _rootNodes, _nodes, count);
    }

    // zebra sends its full table seconds after start: optimised at once, not after tiering (BENCHMARKS.md).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Change(uint network, int length, Edit edit)
    {
        if ((uint)length > 32)
            throw new ArgumentOutOfRangeException(nameof(length), length, "an IPv4 prefix length is 0 to 32");
        network &= (uint)IpPrefix.Ipv4Mask(length);
        if (length <= Ipv4PrefixTable.RootBits)
        {
            var first = (int)(network >> Ipv4PrefixTable.RootBits);
            var count = 1 << (Ipv4PrefixTable.RootBits - length);
            Apply(Root, first, count, Ipv4PrefixTable.RootBits, edit);
            SyncRootNodes(first, count);
            return;
        }
        // A removal needs no node that is not there: the prefix was never in it.
        var rootSlot = (int)(network >> Ipv4PrefixTable.RootBits);
        if (edit.Removing && _root[rootSlot] >= Ipv4PrefixTable.NoMatch) return;
        var node = EnsureChild(Root, rootSlot);
        var slot = (int)((network >> 8) & 0xFF);
        if (length <= Level2End)
        {
            Apply(node, slot, 1 << (Level2End - length), Level2End, edit);
        }
        else
        {
            if (edit.Removing && Entries(node)[slot] >= Ipv4PrefixTable.NoMatch) return;
            var leafNode = EnsureChild(node, slot);
            Apply(leafNode, (int)(network & 0xFF), 1 << (32 - length), 32, edit);
            FoldIfUniform(node, slot, Level2End);
        }
        FoldIfUniform(Root, rootSlot, Ipv4PrefixTable.RootBits);
        SyncRootNodes(rootSlot, 1);
    }

    /// <summary>Points the root's node references from first on at the nodes the root entries now name (a node copied or created, or none).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SyncRootNodes(int first, int count)
    {
        for (var slot = first; slot < first + count; slot++)
        {
            var node = Ipv4PrefixTable.NodeUnder(_root[slot], _nodes);
            if (ReferenceEquals(node, _rootNodes[slot])) continue;
            if (!_rootNodesOwned)
            {
                _rootNodes = (int[]?[])_rootNodes.Clone();
                _rootNodesOwned = true;
            }
            _rootNodes[slot] = node;
        }
    }

    /// <summary>Applies the edit to count entries of a node (or the root) from first, and to every node below them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Apply(int owner, int first, int count, int levelEnd, Edit edit)
    {
        var entries = Entries(owner);
        for (var i = first; i < first + count; i++)
        {
            var entry = entries[i];
            if (entry < Ipv4PrefixTable.NoMatch)
            {
                Apply(Ipv4PrefixTable.ChildIndex(entry), 0, Ipv4PrefixTable.NodeSize, levelEnd + 8, edit);
                entries = Entries(owner);
                if (FoldIfUniform(owner, i, levelEnd)) entries = Entries(owner);
                continue;
            }
            var changed = edit.Removing
                ? Ipv4PrefixTable.LengthOf(entry) == edit.Length ? edit.Leaf : entry
                : Ipv4PrefixTable.LengthOf(entry) <= edit.Length ? edit.Leaf : entry;
            if (changed == entry) continue;
            entries = Writable(owner);
            entries[i] = changed;
        }
    }

    /// <summary>
    /// Folds the node under owner's entry at slot back into that entry when every entry of the node
    /// is one leaf that a prefix no longer than the entry's level set (a value pushed down from above).
    /// </summary>
    private bool FoldIfUniform(int owner, int slot, int levelEnd)
    {
        var entry = Entries(owner)[slot];
        if (entry >= Ipv4PrefixTable.NoMatch) return false;
        var child = Ipv4PrefixTable.ChildIndex(entry);
        var entries = _nodes[child]!;
        var first = entries[0];
        if (first < Ipv4PrefixTable.NoMatch || Ipv4PrefixTable.LengthOf(first) > levelEnd) return false;
        if (entries.AsSpan().ContainsAnyExcept(first)) return false;
        Writable(owner)[slot] = first;
        WritableNodes()[child] = null;
        _free.Push(child);
        return true;
    }

    private int EnsureChild(int owner, int slot)
    {
        var entry = Entries(owner)[slot];
        if (entry < Ipv4PrefixTable.NoMatch) return Ipv4PrefixTable.ChildIndex(entry);

        var node = new int[Ipv4PrefixTable.NodeSize];
        node.AsSpan().Fill(entry);
        var index = _free.Count > 0 ? _free.Pop() : _used++;
        var nodes = WritableNodes();
        if (index >= nodes.Length)
        {
            Array.Resize(ref _nodes, Math.Max(16, nodes.Length * 2));
            Array.Resize(ref _ownedIn, _nodes.Length);
            nodes = _nodes;
        }
        nodes[index] = node;
        _ownedIn[index] = _generation;
        Writable(owner)[slot] = Ipv4PrefixTable.ChildEntry(index);
        return index;
    }

    private int[] Entries(int owner) => owner == Root ? _root : _nodes[owner]!;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int[] Writable(int owner)
    {
        if (owner == Root)
        {
            if (!_rootOwned)
            {
                _root = (int[])_root.Clone();
                _rootOwned = true;
            }
            return _root;
        }
        if (_ownedIn[owner] == _generation) return _nodes[owner]!;
        var nodes = WritableNodes();
        nodes[owner] = (int[])nodes[owner]!.Clone();
        _ownedIn[owner] = _generation;
        return nodes[owner]!;
    }

    private int[]?[] WritableNodes()
    {
        if (!_nodesOwned)
        {
            _nodes = (int[]?[])_nodes.Clone();
            _nodesOwned = true;
        }
        return _nodes;
    }

    /// <param name="Length">The changed prefix's length.</param>
    /// <param name="Leaf">What the entries it owns become: its own leaf, or on removal its best shorter prefix's (or no match).</param>
    private readonly record struct Edit(int Length, int Leaf, bool Removing);
}
