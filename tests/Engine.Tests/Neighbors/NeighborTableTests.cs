using System.Diagnostics;
using Engine.Actors.Neighbors;
using Engine.Actors.Wire;
using Engine.Tests.Wire;
using Xunit;

namespace Engine.Tests.Neighbors;

public class NeighborTableTests
{
    private static readonly long Second = Stopwatch.Frequency;
    private static readonly MacAddress HostA = MacAddress.Parse("02:aa:00:00:00:01");
    private static readonly MacAddress HostB = MacAddress.Parse("02:bb:00:00:00:02");
    private const long Start = 1_000_000;

    [Fact]
    public void Finds_what_it_learned_for_either_family()
    {
        var table = new NeighborTable();

        Assert.True(table.Learn(Packets.V4("10.0.0.5"), HostA, Start));
        Assert.True(table.Learn(Packets.V6("2001:db8::5"), HostB, Start));

        Assert.True(table.TryGet(Packets.V4("10.0.0.5"), Start, out MacAddress v4));
        Assert.Equal(HostA, v4);
        Assert.True(table.TryGet(Packets.V6("2001:db8::5"), Start, out MacAddress v6));
        Assert.Equal(HostB, v6);
        Assert.False(table.TryGet(Packets.V4("10.0.0.6"), Start, out MacAddress missing));
        Assert.Equal(default, missing);
        Assert.False(table.TryGet(Packets.V6("2001:db8::6"), Start, out _));
        Assert.Equal(1, table.Ipv4Count);
        Assert.Equal(1, table.Ipv6Count);
    }

    [Fact]
    public void Keeps_the_families_apart()
    {
        var table = new NeighborTable();
        table.Learn(5u, HostA, Start);

        Assert.False(table.TryGet((UInt128)5, Start, out _));
    }

    [Fact]
    public void Forgets_a_binding_once_its_lifetime_has_passed()
    {
        var table = new NeighborTable(lifetime: TimeSpan.FromSeconds(10));
        uint ip = Packets.V4("10.0.0.5");
        UInt128 ip6 = Packets.V6("2001:db8::5");
        table.Learn(ip, HostA, Start);
        table.Learn(ip6, HostA, Start);

        Assert.True(table.TryGet(ip, Start + 10 * Second - 1, out _));
        Assert.True(table.TryGet(ip6, Start + 10 * Second - 1, out _));
        Assert.False(table.TryGet(ip, Start + 10 * Second, out _));
        Assert.False(table.TryGet(ip6, Start + 10 * Second, out _));
        Assert.Equal(0, table.Ipv4Count);
        Assert.Equal(0, table.Ipv6Count);
    }

    [Fact]
    public void Lives_five_minutes_by_default()
    {
        var table = new NeighborTable();
        table.Learn(1u, HostA, Start);

        Assert.Equal(TimeSpan.FromMinutes(5), table.Lifetime);
        Assert.True(table.TryGet(1u, Start + 300 * Second - 1, out _));
        Assert.False(table.TryGet(1u, Start + 300 * Second, out _));
    }

    [Fact]
    public void Relearning_replaces_the_mac_and_restarts_the_lifetime_but_looking_up_does_not()
    {
        var table = new NeighborTable(lifetime: TimeSpan.FromSeconds(10));
        table.Learn(1u, HostA, Start);
        Assert.True(table.TryGet(1u, Start + 9 * Second, out _));

        table.Learn(1u, HostB, Start + 5 * Second);

        Assert.True(table.TryGet(1u, Start + 14 * Second, out MacAddress mac));
        Assert.Equal(HostB, mac);
        Assert.False(table.TryGet(1u, Start + 15 * Second, out _));
        Assert.Equal(0, table.Ipv4Count);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("239.255.255.255")]
    [InlineData("255.255.255.255")]
    public void Refuses_an_ipv4_address_no_single_host_can_have(string address)
    {
        var table = new NeighborTable();

        Assert.False(table.Learn(Packets.V4(address), HostA, Start));
        Assert.False(table.TryGet(Packets.V4(address), Start, out _));
        Assert.Equal(0, table.Ipv4Count);
    }

    [Theory]
    [InlineData("::")]
    [InlineData("ff02::1")]
    [InlineData("ff02::1:ff00:5")]
    public void Refuses_an_ipv6_address_no_single_host_can_have(string address)
    {
        var table = new NeighborTable();

        Assert.False(table.Learn(Packets.V6(address), HostA, Start));
        Assert.Equal(0, table.Ipv6Count);
    }

    [Theory]
    [InlineData("ff:ff:ff:ff:ff:ff")]
    [InlineData("01:00:5e:00:00:01")]
    [InlineData("33:33:00:00:00:01")]
    public void Refuses_a_group_mac(string mac)
    {
        var table = new NeighborTable();

        Assert.False(table.Learn(Packets.V4("10.0.0.5"), MacAddress.Parse(mac), Start));
        Assert.False(table.Learn(Packets.V6("2001:db8::5"), MacAddress.Parse(mac), Start));
        Assert.Equal(0, table.Ipv4Count + table.Ipv6Count);
    }

    [Fact]
    public void Accepts_the_edges_of_the_unicast_ipv4_space()
    {
        var table = new NeighborTable();

        Assert.True(table.Learn(Packets.V4("223.255.255.255"), HostA, Start));
        Assert.True(table.Learn(Packets.V4("240.0.0.1"), HostA, Start));
        Assert.True(table.Learn(Packets.V4("0.0.0.1"), HostA, Start));
    }

    [Fact]
    public void When_full_evicts_the_binding_learned_longest_ago()
    {
        var table = new NeighborTable(capacity: 3);
        table.Learn(1u, HostA, Start);
        table.Learn(2u, HostA, Start + 1);
        table.Learn(3u, HostA, Start + 2);
        table.Learn(1u, HostB, Start + 3); // relearned: now the newest

        table.Learn(4u, HostA, Start + 4);

        Assert.Equal(3, table.Ipv4Count);
        Assert.False(table.TryGet(2u, Start + 4, out _));
        Assert.True(table.TryGet(1u, Start + 4, out MacAddress one));
        Assert.Equal(HostB, one);
        Assert.True(table.TryGet(3u, Start + 4, out _));
        Assert.True(table.TryGet(4u, Start + 4, out _));
    }

    [Fact]
    public void Bounds_each_family_on_its_own()
    {
        var table = new NeighborTable(capacity: 4);
        for (uint i = 1; i <= 100; i++)
            table.Learn(i, HostA, Start + i);
        table.Learn((UInt128)7, HostB, Start);

        Assert.Equal(4, table.Ipv4Count);
        Assert.Equal(1, table.Ipv6Count);
        for (uint i = 97; i <= 100; i++)
            Assert.True(table.TryGet(i, Start + 100, out _));
        Assert.False(table.TryGet(96u, Start + 100, out _));
        Assert.True(table.TryGet((UInt128)7, Start + 100, out _));
    }

    [Fact]
    public void Holds_4096_bindings_per_family_by_default()
    {
        var table = new NeighborTable();
        for (uint i = 1; i <= 5000; i++)
        {
            table.Learn(0x0A00_0000 + i, HostA, Start + i);
            table.Learn((UInt128)i, HostA, Start + i);
        }

        Assert.Equal(NeighborTable.DefaultCapacity, table.Capacity);
        Assert.Equal(4096, table.Ipv4Count);
        Assert.Equal(4096, table.Ipv6Count);
        Assert.False(table.TryGet(0x0A00_0000u + 904, Start + 5000, out _));
        Assert.True(table.TryGet(0x0A00_0000u + 905, Start + 5000, out _));
    }

    [Fact]
    public void Solicits_an_address_at_most_once_per_interval()
    {
        var table = new NeighborTable();
        uint ip = Packets.V4("10.0.0.9");

        Assert.Equal(TimeSpan.FromSeconds(1), table.SolicitInterval);
        Assert.True(table.ShouldSolicit(ip, Start));
        Assert.False(table.ShouldSolicit(ip, Start));
        Assert.False(table.ShouldSolicit(ip, Start + Second - 1));
        Assert.True(table.ShouldSolicit(Packets.V4("10.0.0.10"), Start + 1));
        Assert.True(table.ShouldSolicit(ip, Start + Second));
        Assert.False(table.ShouldSolicit(ip, Start + Second + 1));
    }

    [Fact]
    public void Solicits_ipv6_addresses_on_their_own_schedule()
    {
        var table = new NeighborTable(solicitInterval: TimeSpan.FromMilliseconds(500));
        UInt128 ip = Packets.V6("2001:db8::9");

        Assert.True(table.ShouldSolicit(ip, Start));
        Assert.True(table.ShouldSolicit(9u, Start));
        Assert.False(table.ShouldSolicit(ip, Start + Second / 2 - 1));
        Assert.True(table.ShouldSolicit(ip, Start + Second / 2));
    }

    [Fact]
    public void Remembers_only_as_many_solicited_addresses_as_it_holds_bindings()
    {
        var table = new NeighborTable(capacity: 2);

        Assert.True(table.ShouldSolicit(1u, Start));
        Assert.True(table.ShouldSolicit(2u, Start));
        Assert.True(table.ShouldSolicit(3u, Start)); // pushes out 1

        Assert.True(table.ShouldSolicit(1u, Start + 1));
        Assert.False(table.ShouldSolicit(3u, Start + 1));
    }

    [Fact]
    public void Rejects_a_nonsensical_configuration()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new NeighborTable(capacity: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NeighborTable(lifetime: TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NeighborTable(solicitInterval: TimeSpan.FromSeconds(-1)));
    }

    [Fact]
    public void Takes_timestamps_from_the_stopwatch()
    {
        var table = new NeighborTable(lifetime: TimeSpan.FromHours(1));
        long now = Stopwatch.GetTimestamp();
        table.Learn(1u, HostA, now);

        Assert.True(table.TryGet(1u, Stopwatch.GetTimestamp(), out _));
        Assert.True(table.TryGet(1u, now + (long)(3599.9 * Stopwatch.Frequency), out _));
        Assert.False(table.TryGet(1u, now + 3600 * Stopwatch.Frequency, out _));
    }
}
