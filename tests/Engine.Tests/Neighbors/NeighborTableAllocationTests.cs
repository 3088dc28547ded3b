using Engine.Actors.Neighbors;
using Engine.Actors.Wire;
using Xunit;

namespace Engine.Tests.Neighbors;

public class NeighborTableAllocationTests
{
    private static readonly MacAddress Host = MacAddress.Parse("02:aa:00:00:00:01");

    /// <summary>Learns, relearns, looks up, expires, evicts and throttles, over both families.</summary>
    private static long Run(NeighborTable table, long now)
    {
        long total = 0;
        for (uint i = 0; i < 200; i++)
        {
            table.Learn(0x0A00_0000 + i, Host, now + i);
            table.Learn((UInt128)i << 64 | 1, Host, now + i);
        }
        for (uint i = 0; i < 200; i++)
        {
            total += table.TryGet(0x0A00_0000 + i, now + 200, out MacAddress mac) ? (long)mac.Value : 0;
            total += table.TryGet((UInt128)i << 64 | 1, now + 200, out mac) ? 1 : 0;
            total += table.ShouldSolicit(0x0B00_0000 + i, now) ? 1 : 0;
            total += table.ShouldSolicit((UInt128)i, now) ? 1 : 0;
        }
        total += table.TryGet(0x0A00_0000u + 199, now + 10_000_000, out _) ? 1 : 0;
        return total;
    }

    [Fact]
    public void Learning_looking_up_expiring_evicting_and_throttling_allocate_nothing()
    {
        var table = new NeighborTable(capacity: 128, lifetime: TimeSpan.FromMilliseconds(1));
        long now = 1_000_000_000;

        var (allocated, result) = SteadyState.Measure(() => Run(table, now += 1_000_000_000), warmups: 20);

        Assert.Equal(0, allocated);
        Assert.NotEqual(0, result);
        Assert.Equal(127, table.Ipv4Count); // full, less the binding the last lookup found expired
    }
}
