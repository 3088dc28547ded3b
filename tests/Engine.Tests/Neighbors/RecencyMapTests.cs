using Engine.Actors.Neighbors;
using Xunit;

namespace Engine.Tests.Neighbors;

public class RecencyMapTests
{
    [Fact]
    public void Reuses_removed_slots_before_evicting()
    {
        var map = new RecencyMap<uint>(2);
        map.Set(1, 10, 1);
        map.Set(2, 20, 2);
        Assert.True(map.Remove(1));
        Assert.False(map.Remove(1));

        map.Set(3, 30, 3);

        Assert.Equal(2, map.Count);
        Assert.True(map.TryGet(2, out ulong two, out long setAt));
        Assert.Equal(20UL, two);
        Assert.Equal(2, setAt);
        Assert.True(map.TryGet(3, out ulong three, out _));
        Assert.Equal(30UL, three);
    }

    /// <summary>
    /// Random sets, removes and lookups against a plain list kept in the order entries were
    /// last set: the map must agree on every answer and evict exactly the list's head.
    /// </summary>
    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 2)]
    [InlineData(16, 3)]
    [InlineData(64, 4)]
    public void Agrees_with_a_list_kept_in_order_of_last_set(int capacity, int seed)
    {
        var random = new Random(seed);
        var map = new RecencyMap<UInt128>(capacity);
        var model = new List<(UInt128 Key, ulong Value, long SetAt)>();
        int keySpace = capacity * 3;

        for (long now = 1; now <= 20_000; now++)
        {
            UInt128 key = (UInt128)random.Next(keySpace) << 64 | 0xABCD;
            int at = model.FindIndex(e => e.Key == key);
            switch (random.Next(4))
            {
                case 0:
                case 1:
                    ulong value = (ulong)random.NextInt64();
                    map.Set(key, value, now);
                    if (at >= 0)
                        model.RemoveAt(at);
                    else if (model.Count == capacity)
                        model.RemoveAt(0);
                    model.Add((key, value, now));
                    break;
                case 2:
                    Assert.Equal(at >= 0, map.Remove(key));
                    if (at >= 0)
                        model.RemoveAt(at);
                    break;
                default:
                    Assert.Equal(at >= 0, map.TryGet(key, out ulong found, out long setAt));
                    if (at >= 0)
                    {
                        Assert.Equal(model[at].Value, found);
                        Assert.Equal(model[at].SetAt, setAt);
                    }
                    break;
            }
            Assert.Equal(model.Count, map.Count);
        }
        foreach (var (key, value, setAt) in model)
        {
            Assert.True(map.TryGet(key, out ulong found, out long foundAt));
            Assert.Equal(value, found);
            Assert.Equal(setAt, foundAt);
        }
    }
}
