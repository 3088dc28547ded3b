using Engine.Actors.Routing;
using Xunit;

namespace Engine.Tests.Routing;

/// <summary>
/// The layout <see cref="Ipv4PrefixTable.Lookup(uint)"/> reads without bounds checks: a root of one entry
/// per /16, a node reference beside each that is the very node its root entry names (null for a leaf),
/// and every node of 256 entries whose child entries name nodes that are there.
/// </summary>
internal static class Ipv4TableLayout
{
    public static void AssertConsistent(Ipv4PrefixTable table)
    {
        Assert.Equal(1 << 16, table.Root.Length);
        Assert.Equal(1 << 16, table.RootNodes.Length);
        for (var slot = 0; slot < table.Root.Length; slot++)
        {
            var entry = table.Root[slot];
            var named = entry < Ipv4PrefixTable.NoMatch ? table.Nodes[-2 - entry] : null;
            if (entry < Ipv4PrefixTable.NoMatch) Assert.NotNull(named);
            if (!ReferenceEquals(named, table.RootNodes[slot]))
                Assert.Fail($"root slot {slot} (entry {entry}) has a node reference other than the node it names");
        }
        foreach (var node in table.Nodes)
        {
            if (node is null) continue;
            Assert.Equal(Ipv4PrefixTable.NodeSize, node.Length);
            foreach (var entry in node)
                if (entry < Ipv4PrefixTable.NoMatch) Assert.NotNull(table.Nodes[-2 - entry]);
        }
    }
}
