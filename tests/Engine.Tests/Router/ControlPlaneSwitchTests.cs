using System.Diagnostics;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Router;
using Engine.Actors.Routing;
using Engine.Actors.Switching;
using Engine.Actors.Wire;
using Engine.Tests.Wire;
using PacketDotNet;
using Xunit;
using ArpOperation = PacketDotNet.ArpOperation;
using static Engine.Tests.Routing.TestPrefixes;

namespace Engine.Tests.Router;

/// <summary>
/// A switch's router interface mirrored in the control plane: a host's OSPF hello flooded on the
/// switch reaches the other member and the mirror, and what the mirror writes is switched from
/// the router interface: flooded to every member, or to the one host that has the destination.
/// </summary>
public sealed class ControlPlaneSwitchTests : TestKit
{
    private const string HostA = "10.0.5.1";
    private const string Gateway = "10.0.5.254";
    private const int MemberA = 0, MemberB = 1, RouterInterface = 2, Mirror = 3;

    private readonly FrameBatchPool _pool = TestPorts.Pool();
    private readonly TestProbe[] _probes;
    private readonly Port[] _ports;
    private readonly IActorRef _router;

    // Ports 0 and 1 taps, members 0 and 1 of switch lan1; port 2 its router interface (member 2,
    // 10.0.5.254/24), mirrored by port 3, a tap with the router interface's MAC.
    public ControlPlaneSwitchTests()
    {
        _probes = Enumerable.Range(0, 4).Select(i => CreateTestProbe($"p{i}")).ToArray();
        var lan = TestPorts.Lan("lan1", [0, 1, 2], routerMember: 2);
        _ports =
        [
            TestPorts.Member(MemberA, "tap-a", _probes[MemberA], lan, 0),
            TestPorts.Member(MemberB, "tap-b", _probes[MemberB], lan, 1),
            TestPorts.Tap(RouterInterface, "lan1", _probes[RouterInterface], Gateway, controlPlane: Mirror, routerInterfaceOf: lan),
            TestPorts.Tap(Mirror, "lan1@rtr", _probes[Mirror], mirrorOf: RouterInterface),
        ];
        _router = Sys.ActorOf(RouterActor.Props(_pool, new RouteSnapshot(_ports, [(Prefix("10.0.5.0/24"), RouterInterface)]), new RouterCounters()));
    }

    [Fact]
    public void A_hosts_ospf_hello_reaches_the_other_member_and_the_mirror()
    {
        var hello = Frames.Ipv4InEthernet("01:00:5e:00:00:05", Frames.HostMac, Packets.Ipv4Udp(HostA, "224.0.0.5", 44, ttl: 1));
        ProbeFrames.Send(_pool, _router, MemberA, hello);

        Assert.Equal(hello, ProbeFrames.Single(_probes[MemberB]));
        Assert.Equal(hello, ProbeFrames.Single(_probes[Mirror], tag: RouterInterface));
        _probes[MemberA].ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        _probes[RouterInterface].ExpectNoMsg(TimeSpan.FromMilliseconds(0));
        Assert.Equal(0, _ports[MemberA].Counters.TotalDrops + _ports[RouterInterface].Counters.TotalDrops);
    }

    [Fact]
    public void What_the_mirror_writes_is_flooded_from_the_router_interface_or_sent_to_the_host_that_has_its_destination()
    {
        var request = Frames.Arp(ArpOperation.Request, Frames.RouterMac, Gateway, "00:00:00:00:00:00", HostA);
        ProbeFrames.Send(_pool, _router, Mirror, request);
        Assert.Equal(request, ProbeFrames.Single(_probes[MemberA]));
        Assert.Equal(request, ProbeFrames.Single(_probes[MemberB]));

        // Host a answers (the mirror gets its copy) and is learned on member 0: the mirror's unicast goes there alone.
        ProbeFrames.Send(_pool, _router, MemberA, Frames.Arp(ArpOperation.Response, Frames.HostMac, HostA, Frames.RouterMac, Gateway, Frames.RouterMac));
        ProbeFrames.Single(_probes[Mirror]);
        var unicast = Frames.Ipv4InEthernet(Frames.HostMac, Frames.RouterMac, Packets.Ipv4Udp(Gateway, HostA, 30, ttl: 1));
        ProbeFrames.Send(_pool, _router, Mirror, unicast);

        Assert.Equal(unicast, ProbeFrames.Single(_probes[MemberA]));
        _probes[MemberB].ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        _probes[RouterInterface].ExpectNoMsg(TimeSpan.FromMilliseconds(0));
    }
}
