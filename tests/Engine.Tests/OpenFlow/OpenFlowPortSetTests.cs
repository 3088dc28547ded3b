using Engine.Actors.Counters;
using Engine.Actors.OpenFlow;
using Xunit;

namespace Engine.Tests.OpenFlow;

/// <summary>The switch's ports as immutable sets: numbered from engine places, found by number, swapped whole.</summary>
public class OpenFlowPortSetTests
{
    private static OpenFlowPort At(int engineIndex, string name)
    {
        var number = OpenFlowPortSet.NumberOf(engineIndex);
        return new OpenFlowPort(number, name, OpenFlowPort.AddressFor(0xab, number), new PortCounters());
    }

    [Fact]
    public void A_port_is_numbered_from_its_engine_place_plus_one()
    {
        Assert.Equal(1u, OpenFlowPortSet.NumberOf(0));
        var port = At(6, "tap-new");
        Assert.Equal(7u, port.Number);
        Assert.Equal(6, port.EngineIndex);
    }

    [Fact]
    public void Ports_are_found_by_number_across_a_gap_and_the_gap_is_no_port()
    {
        // Places 0-2 are the start's devices and peers, 3 the switch's own port, 4 a port a reload added.
        var set = new OpenFlowPortSet([At(4, "tap-new"), At(0, "tun-a"), At(1, "tap-b"), At(2, "east")]);
        Assert.Equal([1u, 2u, 3u, 5u], set.All.Select(p => p.Number));
        Assert.Equal("tap-new", set.Find(5)?.Name);
        Assert.Equal("tun-a", set.Find(1)?.Name);
        Assert.Null(set.Find(4));
        Assert.Null(set.Find(0));
        Assert.Null(set.Find(OfpPortNumbers.Local));
    }

    [Fact]
    public void With_and_without_make_new_sets_and_leave_the_old_one_whole()
    {
        var start = new OpenFlowPortSet([At(0, "tun-a"), At(1, "tap-b")]);
        var added = start.With(At(3, "tap-new"));
        var removed = added.Without(1);

        Assert.Equal([1u, 2u], start.All.Select(p => p.Number));
        Assert.Equal([1u, 2u, 4u], added.All.Select(p => p.Number));
        Assert.Equal([2u, 4u], removed.All.Select(p => p.Number));
        Assert.Same(removed, removed.Without(1));
    }

    [Fact]
    public void A_live_number_is_never_given_twice()
    {
        var set = new OpenFlowPortSet([At(0, "tun-a")]);
        Assert.Throws<ArgumentException>(() => set.With(At(0, "tun-other")));
    }

    [Fact]
    public async Task A_reader_of_the_switch_info_sees_the_old_set_or_the_new_never_half()
    {
        var small = new OpenFlowPortSet([At(0, "tun-a"), At(1, "tap-b")]);
        var large = small.With(At(3, "tap-c")).With(At(4, "tap-d"));
        var info = new OpenFlowSwitchInfo(0xab, small.All);
        var stop = false;
        var seen = new HashSet<int>();
        var reader = Task.Run(() =>
        {
            while (!Volatile.Read(ref stop))
            {
                var ports = info.PortSet;
                // Counted twice from one set: a set swapped whole cannot give two counts.
                var count = ports.All.Count;
                Assert.Equal(count, ports.All.Count(p => ports.Find(p.Number) is not null));
                lock (seen) seen.Add(count);
            }
        });
        for (var i = 0; i < 20_000; i++) info.Replace(i % 2 == 0 ? large : small);
        Volatile.Write(ref stop, true);
        await reader;
        Assert.Subset(new HashSet<int> { 2, 4 }, seen);
    }
}
