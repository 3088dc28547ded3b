using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Router;
using Engine.Actors.Routing;
using Engine.Tests.Wire;
using Xunit;
using static Engine.Tests.Routing.TestPrefixes;

namespace Engine.Tests.Router;

/// <summary>
/// Routes that refuse their packets, as zebra's blackhole, unreachable and prohibit routes do: a
/// blackhole drops without a word, unreachable answers net unreachable, prohibit answers
/// administratively prohibited; each is counted on the ingress, and a refusal wins over a TTL of 1.
/// </summary>
public sealed class RefusingRouteTests : TestKit
{
    private readonly FrameBatchPool _pool = new(batchCapacity: 16, bufferSize: 2048, maxBatches: 64);
    private readonly TestProbe _tun;
    private readonly Port[] _ports;
    private readonly IActorRef _router;

    public RefusingRouteTests()
    {
        _tun = CreateTestProbe("tun");
        _ports = [new Port(0, "tun", _tun, 1500, new PortCounters()) { Ipv4Address = Packets.V4("10.0.1.254"), Ipv6Address = Packets.V6("fd00:1::fe") }];
        (IpPrefix, NextHop)[] routes =
        [
            (Prefix("10.0.1.0/24"), new NextHop(0)),
            (Prefix("fd00:1::/64"), new NextHop(0)),
            (Prefix("10.66.0.0/16"), NextHop.Refusing(NextHopKind.Blackhole)),
            (Prefix("10.67.0.0/16"), NextHop.Refusing(NextHopKind.Unreachable)),
            (Prefix("10.68.0.0/16"), NextHop.Refusing(NextHopKind.Prohibit)),
            (Prefix("fd00:66::/48"), NextHop.Refusing(NextHopKind.Blackhole)),
            (Prefix("fd00:67::/48"), NextHop.Refusing(NextHopKind.Unreachable)),
            (Prefix("fd00:68::/48"), NextHop.Refusing(NextHopKind.Prohibit)),
        ];
        _router = Sys.ActorOf(RouterActor.Props(_pool, RouteSnapshot.Of(_ports, routes), new RouterCounters()));
    }

    [Fact]
    public void A_blackhole_route_drops_without_an_answer_and_counts_blackhole()
    {
        ProbeFrames.Send(_pool, _router, 0, Packets.Ipv4Udp("10.0.1.1", "10.66.0.5", 16, ttl: 1));
        ProbeFrames.Send(_pool, _router, 0, Packets.Ipv6Udp("fd00:1::1", "fd00:66::5", 16));
        AwaitAssert(() => Assert.Equal(2, _ports[0].Counters.Drops(DropReason.Blackhole)));
        _tun.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Theory]
    [InlineData("10.67.0.5", DropReason.NoRoute, 3, 0)]
    [InlineData("10.68.0.5", DropReason.Prohibited, 3, 13)]
    public void An_ipv4_refusing_route_answers_with_its_icmp_error(string destination, DropReason reason, int type, int code)
    {
        ProbeFrames.Send(_pool, _router, 0, Packets.Ipv4Udp("10.0.1.1", destination, 16, ttl: 1));
        var answer = ProbeFrames.Single(_tun);
        Assert.Equal((type, code), (answer[20], answer[21])); // ICMP after a 20-byte IPv4 header
        Assert.Equal(1, _ports[0].Counters.Drops(reason));
    }

    [Theory]
    [InlineData("fd00:67::5", DropReason.NoRoute, 1, 0)]
    [InlineData("fd00:68::5", DropReason.Prohibited, 1, 1)]
    public void An_ipv6_refusing_route_answers_with_its_icmp_error(string destination, DropReason reason, int type, int code)
    {
        ProbeFrames.Send(_pool, _router, 0, Packets.Ipv6Udp("fd00:1::1", destination, 16));
        var answer = ProbeFrames.Single(_tun);
        Assert.Equal((type, code), (answer[40], answer[41])); // ICMPv6 after the 40-byte IPv6 header
        Assert.Equal(1, _ports[0].Counters.Drops(reason));
    }
}
