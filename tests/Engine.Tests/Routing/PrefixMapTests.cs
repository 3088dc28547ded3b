using Engine.Actors.Routing;
using Xunit;

namespace Engine.Tests.Routing;

public sealed class PrefixMapTests
{
    private static readonly IpPrefix[] Prefixes =
    [
        IpPrefix.Ipv4(0, 0), IpPrefix.Ipv4(0x0A000000, 8), IpPrefix.Ipv4(0x0A000000, 9), IpPrefix.Ipv4(0xFFFFFFFF, 32),
        IpPrefix.Ipv4(0xC0A80100, 24), IpPrefix.Ipv6(0, 0), IpPrefix.Ipv6(new UInt128(0x20010DB800000000, 0), 32),
        IpPrefix.Ipv6(new UInt128(0x20010DB800000000, 0), 33), IpPrefix.Ipv6(UInt128.MaxValue, 128),
    ];

    [Fact]
    public void Every_prefix_keeps_its_own_value_and_comes_back_as_it_went_in()
    {
        var map = new PrefixMap<int>();
        for (var i = 0; i < Prefixes.Length; i++)
        {
            ref var slot = ref map.GetValueRefOrAddDefault(Prefixes[i], out var exists);
            Assert.False(exists);
            slot = i;
        }

        Assert.Equal(Prefixes.Length, map.Count);
        for (var i = 0; i < Prefixes.Length; i++)
        {
            Assert.True(map.TryGetValue(Prefixes[i], out var value));
            Assert.Equal(i, value);
        }
        Assert.Equal(Prefixes.Select((p, i) => (p, i)).ToHashSet(), map.Entries.ToHashSet());
        Assert.False(map.ContainsKey(IpPrefix.Ipv4(0x0A000000, 10)));
        Assert.False(map.ContainsKey(IpPrefix.Ipv6(new UInt128(0x20010DB800000000, 0), 34)));
    }

    [Fact]
    public void Entries_may_be_removed_while_they_are_enumerated()
    {
        var map = new PrefixMap<int>();
        for (var i = 0; i < Prefixes.Length; i++)
            map.GetValueRefOrAddDefault(Prefixes[i], out _) = i;

        foreach (var (prefix, value) in map.Entries)
            if (value % 2 == 0) map.Remove(prefix, out _);

        Assert.Equal(Prefixes.Where((_, i) => i % 2 == 1).ToHashSet(), map.Prefixes.ToHashSet());
        map.Clear();
        Assert.Equal(0, map.Count);
    }
}
