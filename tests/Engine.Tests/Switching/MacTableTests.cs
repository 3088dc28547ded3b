using Engine.Actors.Switching;
using Xunit;

namespace Engine.Tests.Switching;

/// <summary>The learning table: learn, refresh, age out, move, and the per-port limit.</summary>
public class MacTableTests
{
    private const long Ageing = 300;
    private const ulong HostA = 0x02_00_00_00_00_0a;
    private const ulong HostB = 0x02_00_00_00_00_0b;

    [Fact]
    public void A_learned_address_is_found_on_its_port_and_an_unknown_one_is_not()
    {
        var table = new MacTable(memberCount: 3, macLimit: 8, Ageing);

        Assert.Equal(LearnOutcome.Learned, table.Learn(1, HostA, member: 1, now: 0));
        Assert.Equal(LearnOutcome.Refreshed, table.Learn(1, HostA, member: 1, now: 10));

        Assert.Equal(1, table.Lookup(1, HostA, now: 20));
        Assert.Equal(-1, table.Lookup(1, HostB, now: 20));
        Assert.Equal(1, table.LearnedOn(1));
    }

    [Fact]
    public void An_address_ages_out_after_the_ageing_time_without_a_frame_and_a_refresh_keeps_it()
    {
        var table = new MacTable(2, 8, Ageing);
        table.Learn(1, HostA, 0, now: 0);
        table.Learn(1, HostB, 0, now: 0);
        table.Learn(1, HostB, 0, now: 200);

        Assert.Equal(0, table.Lookup(1, HostA, now: Ageing - 1));
        Assert.Equal(-1, table.Lookup(1, HostA, now: Ageing));
        Assert.Equal(0, table.Lookup(1, HostB, now: Ageing));

        Assert.Equal(1, table.Sweep(now: Ageing));
        Assert.Equal(1, table.LearnedOn(0));
        Assert.Equal(0, table.Lookup(1, HostB, now: Ageing));
    }

    [Fact]
    public void A_host_that_moves_is_found_on_its_new_port()
    {
        var table = new MacTable(3, 8, Ageing);
        table.Learn(1, HostA, 0, now: 0);

        Assert.Equal(LearnOutcome.Moved, table.Learn(1, HostA, 2, now: 5));

        Assert.Equal(2, table.Lookup(1, HostA, now: 5));
        Assert.Equal(0, table.LearnedOn(0));
        Assert.Equal(1, table.LearnedOn(2));
    }

    [Fact]
    public void A_port_at_its_limit_learns_no_new_address_and_counts_each_refusal_while_other_ports_still_learn()
    {
        var table = new MacTable(2, macLimit: 2, Ageing);
        table.Learn(1, 0x02_00_00_00_00_01, 0, 0);
        table.Learn(1, 0x02_00_00_00_00_02, 0, 0);

        Assert.Equal(LearnOutcome.LimitReached, table.Learn(1, 0x02_00_00_00_00_03, 0, 0));
        Assert.Equal(LearnOutcome.LimitReached, table.Learn(1, 0x02_00_00_00_00_04, 0, 0));
        Assert.Equal(LearnOutcome.Learned, table.Learn(1, 0x02_00_00_00_00_05, 1, 0));

        Assert.Equal(-1, table.Lookup(1, 0x02_00_00_00_00_03, 0));
        Assert.Equal(2, table.LearnedOn(0));
        Assert.Equal(2, table.MacLimitRefusals(0));
        Assert.Equal(0, table.MacLimitRefusals(1));
    }

    [Fact]
    public void Ageing_out_frees_a_full_port_to_learn_again()
    {
        var table = new MacTable(1, macLimit: 1, Ageing);
        table.Learn(1, HostA, 0, now: 0);
        Assert.Equal(LearnOutcome.LimitReached, table.Learn(1, HostB, 0, now: 1));

        table.Sweep(now: Ageing);

        Assert.Equal(LearnOutcome.Learned, table.Learn(1, HostB, 0, now: Ageing));
    }

    [Fact]
    public void A_host_moving_to_a_full_port_is_forgotten_rather_than_kept_on_its_old_port()
    {
        var table = new MacTable(2, macLimit: 1, Ageing);
        table.Learn(1, HostA, 0, 0);
        table.Learn(1, HostB, 1, 0);

        Assert.Equal(LearnOutcome.LimitReached, table.Learn(1, HostA, 1, 1));

        Assert.Equal(-1, table.Lookup(1, HostA, 1));
        Assert.Equal(0, table.LearnedOn(0));
    }

    [Fact]
    public void A_flood_of_sources_fills_the_table_to_every_limit_and_sweeping_it_keeps_every_survivor_findable()
    {
        const int members = 4, limit = 64;
        var table = new MacTable(members, limit, Ageing);
        for (var i = 0UL; i < members * 100; i++)
            table.Learn(1, 0x02_00_00_00_00_00 | i, (int)(i % members), now: (long)(i % 2) * 100);
        for (var m = 0; m < members; m++)
            Assert.Equal(limit, table.LearnedOn(m));

        // Those learned at 0 age out at 300; those at 100 stay until 400.
        var removed = table.Sweep(now: Ageing);

        var stayed = 0;
        for (var i = 0UL; i < members * 100; i++)
            if (table.Lookup(1, 0x02_00_00_00_00_00 | i, now: Ageing) is var member and >= 0)
            {
                Assert.Equal((int)(i % members), member);
                Assert.Equal(1UL, i % 2);
                stayed++;
            }
        Assert.Equal(members * limit, removed + stayed);
        Assert.Equal(members * limit / 2, stayed);
    }

    [Fact]
    public void Forgetting_a_port_leaves_the_others_learned()
    {
        var table = new MacTable(2, 8, Ageing);
        table.Learn(1, HostA, 0, 0);
        table.Learn(1, HostB, 1, 0);

        table.Forget(0);

        Assert.Equal(-1, table.Lookup(1, HostA, 0));
        Assert.Equal(1, table.Lookup(1, HostB, 0));
        Assert.Equal(0, table.LearnedOn(0));
    }
}
