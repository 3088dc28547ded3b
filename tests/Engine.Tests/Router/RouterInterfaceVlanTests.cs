using System.Diagnostics;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Router;
using Engine.Actors.Routing;
using Engine.Actors.Switching;
using Engine.Actors.Wire;
using Engine.Tests.Wire;
using Xunit;
using ArpOperation = PacketDotNet.ArpOperation;

namespace Engine.Tests.Router;

/// <summary>
/// A switch's router interface is an access port of VLAN 1: a trunk's untagged frames in its
/// native VLAN 1 reach the router, frames of another VLAN never do, and the router's answers
/// leave a trunk untagged.
/// </summary>
public sealed class RouterInterfaceVlanTests : TestKit
{
    private const string HostA = "10.0.5.1";
    private const string Gateway = "10.0.5.254";

    private readonly FrameBatchPool _pool = new(batchCapacity: 16, bufferSize: 2048, maxBatches: 64);
    private readonly Akka.TestKit.TestProbe[] _probes;
    private readonly Port[] _ports;
    private readonly IActorRef _router;

    // Port 0: a trunk of VLAN 10 with native VLAN 1; port 1: an access port of VLAN 10; port 2:
    // the router interface, an access port of VLAN 1, with 10.0.5.254/24.
    public RouterInterfaceVlanTests()
    {
        _probes = Enumerable.Range(0, 3).Select(i => CreateTestProbe($"p{i}")).ToArray();
        var vlans = new SwitchVlans(3);
        vlans.SetTrunk(0, [10], native: 1);
        vlans.SetAccess(1, 10);
        var lan = new L2Switch("lan1", [0, 1, 2], new MacTable(3, 16, Stopwatch.Frequency * 300), new StormControl(3, 100, Stopwatch.Frequency),
            routerMember: 2, vlans: vlans);
        _ports =
        [
            new Port(0, "trunk", _probes[0], 1500, new PortCounters()) { IsEthernet = true, Mac = MacAddress.LocallyAdministered("trunk"), Switch = new SwitchMembership(lan, 0) },
            new Port(1, "access10", _probes[1], 1500, new PortCounters()) { IsEthernet = true, Mac = MacAddress.LocallyAdministered("access10"), Switch = new SwitchMembership(lan, 1) },
            new Port(2, "lan1", _probes[2], 1500, new PortCounters())
            {
                IsEthernet = true,
                IsRouterInterface = true,
                Mac = MacAddress.Parse(Frames.RouterMac),
                Ipv4Address = Packets.V4(Gateway),
                Switch = new SwitchMembership(lan, 2),
            },
        ];
        IpPrefix.TryParse("10.0.5.0/24", out var lanV4, out _);
        _router = Sys.ActorOf(RouterActor.Props(_pool, new RouteSnapshot(_ports, [(lanV4, 2)]), new RouterCounters()));
    }

    [Fact]
    public void An_untagged_arp_request_on_the_trunks_native_vlan_is_answered_untagged_and_stays_out_of_vlan_10()
    {
        ProbeFrames.Send(_pool, _router, 0, Frames.Arp(ArpOperation.Request, Frames.HostMac, HostA, "00:00:00:00:00:00", Gateway));

        var reply = ProbeFrames.Single(_probes[0]);
        Assert.False(VlanTag.IsTagged(reply));
        Assert.Equal(EtherType.Arp, (ushort)(reply[12] << 8 | reply[13]));
        _probes[1].ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        _probes[2].ExpectNoMsg(TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public void An_arp_request_for_the_gateway_tagged_in_vlan_10_reaches_vlan_10_only_and_is_not_answered()
    {
        var request = Frames.Arp(ArpOperation.Request, Frames.HostMac, HostA, "00:00:00:00:00:00", Gateway);
        byte[] tagged = [.. request[..12], 0x81, 0x00, 0x00, 0x0a, .. request[12..]];
        ProbeFrames.Send(_pool, _router, 0, tagged);

        Assert.Equal(request, ProbeFrames.Single(_probes[1]));
        _probes[0].ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal(0, _ports[0].Counters.Drops(DropReason.Vlan));
    }
}
