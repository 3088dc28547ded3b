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

    private static readonly string[] Values = [.. Prefixes.Select((_, i) => i.ToString())];

    [Fact]
    public void Every_prefix_keeps_its_own_value_and_comes_back_as_it_went_in()
    {
        var map = new PrefixMap<string>();
        for (var i = 0; i < Prefixes.Length; i++)
            Assert.False(map.Set(Prefixes[i], Values[i], out _));

        Assert.Equal(Prefixes.Length, map.Count);
        for (var i = 0; i < Prefixes.Length; i++)
        {
            Assert.True(map.TryGetValue(Prefixes[i], out var value));
            Assert.Same(Values[i], value);
        }
        Assert.Equal(Prefixes.Select((p, i) => (p, Values[i])).ToHashSet(), map.Entries.ToHashSet());
        Assert.False(map.ContainsKey(IpPrefix.Ipv4(0x0A000000, 10)));
        Assert.False(map.ContainsKey(IpPrefix.Ipv6(new UInt128(0x20010DB800000000, 0), 34)));
    }

    [Fact]
    public void Entries_may_be_removed_while_they_are_enumerated()
    {
        var map = new PrefixMap<string>();
        for (var i = 0; i < Prefixes.Length; i++)
            map.Set(Prefixes[i], Values[i], out _);

        foreach (var (prefix, value) in map.Entries)
            if (int.Parse(value) % 2 == 0) map.Remove(prefix, out _);

        Assert.Equal(Prefixes.Where((_, i) => i % 2 == 1).ToHashSet(), map.Prefixes.ToHashSet());
        map.Clear();
        Assert.Equal(0, map.Count);
    }

    [Fact]
    public void A_million_entries_over_a_few_values_match_a_dictionary_through_adds_replacements_and_removals()
    {
        var random = new Random(13);
        var values = Enumerable.Range(0, 24).Select(i => $"value {i}").ToArray();
        var map = new PrefixMap<string>();
        var reference = new Dictionary<IpPrefix, string>();
        for (var step = 0; step < 1_000_000; step++)
        {
            var length = random.Next(0, 33);
            var prefix = random.Next(4) == 0
                ? IpPrefix.Ipv6(new UInt128((ulong)random.NextInt64(), (ulong)random.NextInt64()) >> random.Next(0, 100), random.Next(0, 129))
                : IpPrefix.Ipv4((uint)random.NextInt64() >> random.Next(0, 16), length);
            if (random.Next(5) == 0)
            {
                Assert.Equal(reference.Remove(prefix, out var expected), map.Remove(prefix, out var removed));
                Assert.Same(expected, removed);
                continue;
            }
            var value = values[random.Next(values.Length)];
            var had = reference.TryGetValue(prefix, out var before);
            reference[prefix] = value;
            Assert.Equal(had, map.Set(prefix, value, out var replaced));
            Assert.Same(before, replaced);
        }

        Assert.Equal(reference.Count, map.Count);
        Assert.Equal(reference.ToHashSet(), map.Entries.Select(e => KeyValuePair.Create(e.Prefix, e.Value)).ToHashSet());
        foreach (var (prefix, value) in reference)
        {
            Assert.True(map.TryGetValue(prefix, out var found));
            Assert.Same(value, found);
        }
        Assert.Equal(reference.Values.Distinct().Count(), map.DistinctValues);
    }

    [Fact]
    public void A_value_no_entry_holds_any_more_is_let_go_and_its_number_serves_the_next()
    {
        var map = new PrefixMap<string>();
        var first = IpPrefix.Ipv4(0x0A000000, 8);
        var second = IpPrefix.Ipv6(new UInt128(0x20010DB800000000, 0), 32);
        map.Set(first, "a", out _);
        map.Set(second, "a", out _);
        map.Set(first, "b", out _);
        Assert.Equal(2, map.DistinctValues);

        map.Remove(second, out _);
        Assert.Equal(1, map.DistinctValues);
        map.Set(second, "c", out _);

        Assert.True(map.TryGetValue(first, out var firstValue));
        Assert.True(map.TryGetValue(second, out var secondValue));
        Assert.Equal(("b", "c"), (firstValue, secondValue));
    }

    [Fact]
    public void Removals_and_adds_that_never_grow_the_table_leave_it_its_size()
    {
        var map = new PrefixMap<string>();
        for (var round = 0; round < 200; round++)
        {
            for (var i = 0; i < 1000; i++)
                map.Set(IpPrefix.Ipv4((uint)(round * 1000 + i) << 8, 24), "hop", out _);
            for (var i = 0; i < 1000; i++)
                Assert.True(map.Remove(IpPrefix.Ipv4((uint)(round * 1000 + i) << 8, 24), out _));
        }

        Assert.Equal(0, map.Count);
        Assert.Equal(0, map.DistinctValues);
        Assert.Empty(map.Entries);
        // 1,000 entries at a time fit in 2,048 IPv4 slots; the marks removals leave are swept, not grown into.
        Assert.Equal(2048 + 16, map.Capacity);
    }

    [Fact]
    public void A_slot_is_8_bytes_for_an_ipv4_prefix_and_20_for_an_ipv6_one()
    {
        Assert.Equal(8, System.Runtime.CompilerServices.Unsafe.SizeOf<Ipv4PrefixSlot>());
        Assert.Equal(20, System.Runtime.CompilerServices.Unsafe.SizeOf<Ipv6PrefixSlot>());
    }
}
