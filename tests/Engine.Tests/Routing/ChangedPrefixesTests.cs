using Engine.Actors.Routing;
using Xunit;

namespace Engine.Tests.Routing;

public sealed class ChangedPrefixesTests
{
    [Fact]
    public void Each_prefix_is_noted_once_with_whether_it_had_a_route_and_clearing_forgets_them()
    {
        var changed = new ChangedPrefixes();
        var v4 = IpPrefix.Ipv4(0x0A000000, 8);
        var v4Default = IpPrefix.Ipv4(0, 0);
        var v6 = IpPrefix.Ipv6(new UInt128(0x20010DB800000000, 0), 32);
        changed.Add(v4, hadRoute: true);
        changed.Add(v4Default, hadRoute: false);
        changed.Add(v6, hadRoute: false);

        Assert.Equal(3, changed.Count);
        Assert.True(changed.Contains(v4Default));
        Assert.False(changed.Contains(IpPrefix.Ipv4(0x0A000000, 9)));
        Assert.Equal([(v4Default, false), (v4, true), (v6, false)], changed.Entries.OrderBy(e => e.Prefix).ToArray());

        changed.Clear();
        Assert.Equal(0, changed.Count);
        Assert.False(changed.Contains(v4));
        Assert.Empty(changed.Entries);
    }
}
