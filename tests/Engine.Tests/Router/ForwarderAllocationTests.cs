using System.Diagnostics;
using Akka.Actor;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Router;
using Engine.Actors.Routing;
using Engine.Actors.Rules;
using Engine.Actors.Topology;
using Engine.Actors.Switching;
using Engine.Actors.Wire;
using Engine.Tests.Wire;
using Xunit;

namespace Engine.Tests.Router;

/// <summary>The forwarding path allocates nothing per frame once warm (a guard; bench/ has the figures).</summary>
public sealed class ForwarderAllocationTests
{
    [Fact]
    public void Routing_batches_after_warm_up_allocates_nothing()
    {
        var pool = new FrameBatchPool(batchCapacity: 64, bufferSize: 2048, maxBatches: 64);
        var ports = Enumerable.Range(0, 4)
            .Select(i => new Port(i, $"p{i}", new ReleasingRef(), 1500, new PortCounters()) { Ipv4Address = Packets.V4($"10.0.{i}.254") })
            .ToArray();
        var routes = RouteSnapshot.Of(ports, Enumerable.Range(0, 4)
            .Select(i => new SnapshotRoute(IpPrefix.Ipv4(Packets.V4($"10.0.{i}.0"), 24), new NextHop(i)))
            .Append(SnapshotRoute.Multipath(IpPrefix.Ipv4(Packets.V4("10.9.0.0"), 16), [new(new NextHop(2)), new(new NextHop(3))])));
        var forwarder = new Forwarder(pool, new RouterCounters(), new IcmpRateLimiter(1000, 200));
        // (IPv6 has no route here and no engine address: answered from the ingress's link-local address.)
        byte[][] frames =
        [
            Packets.Ipv4Udp("10.0.0.1", "10.0.1.5", 64),
            Packets.Ipv4Udp("10.0.0.1", "10.9.0.5", 64, sourcePort: 1234), // multipath: hashed to a path
            Packets.Ipv4Udp("10.0.0.1", "10.0.2.5", 1400),
            Packets.Ipv6Udp("fd00::1", "fd00::2", 64), // no IPv6 route: dropped and counted
            Packets.Ipv4Udp("10.0.0.1", "10.0.3.5", 64, ttl: 1), // time exceeded, answered in place
        ];

        long RouteBatches()
        {
            for (var n = 0; n < 200; n++)
            {
                pool.TryRent(out var batch);
                batch.IngressPort = 0;
                for (var i = 0; i < 64; i++) batch.TryAppendCopy(frames[i % frames.Length]);
                forwarder.Route(batch, routes);
            }
            return 0;
        }

        var (allocated, _) = SteadyState.Measure(RouteBatches, warmups: 1);

        Assert.Equal(0, allocated);
        // The drop and ICMP paths ran too, not only plain forwarding.
        Assert.True(ports[0].Counters.Drops(DropReason.NoRoute) > 0);
        Assert.True(ports[0].Counters.Drops(DropReason.TtlExpired) > 0);
    }

    [Fact]
    public void Routing_via_next_hops_on_a_tap_after_warm_up_allocates_nothing()
    {
        var pool = new FrameBatchPool(batchCapacity: 64, bufferSize: 2048, maxBatches: 64);
        // 0 tun, 1 tap whose host 10.0.1.1 routes 10.9.0.0/16.
        var ports = new[]
        {
            new Port(0, "p0", new ReleasingRef(), 1500, new PortCounters()) { Ipv4Address = Packets.V4("10.0.0.254") },
            new Port(1, "p1", new ReleasingRef(), 1500, new PortCounters())
            {
                IsEthernet = true, Mac = MacAddress.Parse(Frames.RouterMac), Ipv4Address = Packets.V4("10.0.1.254"),
            },
        };
        var routes = RouteSnapshot.Of(ports,
        [
            (IpPrefix.Ipv4(Packets.V4("10.0.0.0"), 24), new NextHop(0)),
            (IpPrefix.Ipv4(Packets.V4("10.0.1.0"), 24), new NextHop(1)),
            (IpPrefix.Ipv4(Packets.V4("10.9.0.0"), 16), new NextHop(1, Packets.V4("10.0.1.1"))),
        ]);
        var forwarder = new Forwarder(pool, new RouterCounters(), new IcmpRateLimiter(1000, 200));
        var announce = Frames.Arp(PacketDotNet.ArpOperation.Response, Frames.HostMac, "10.0.1.1", Frames.RouterMac, "10.0.1.254", Frames.RouterMac);
        var fromBehind = Packets.Ipv4Udp("10.9.0.5", "10.0.0.1", 64, ttl: 1); // time exceeded, back through the next hop
        var framed = new byte[EthernetFrame.HeaderLength + fromBehind.Length];
        EthernetFrame.WriteHeader(framed, MacAddress.Parse(Frames.RouterMac), MacAddress.Parse(Frames.HostMac), EtherType.Ipv4);
        fromBehind.CopyTo(framed, EthernetFrame.HeaderLength);
        byte[][] frames =
        [
            Packets.Ipv4Udp("10.0.0.1", "10.9.0.5", 64),
            Packets.Ipv4Udp("10.0.0.1", "10.9.77.1", 1400),
            Packets.Ipv4Udp("10.0.0.1", "10.9.0.6", 1600), // fragmented, each fragment to the next hop
            Packets.Ipv4Udp("10.0.0.1", "10.0.1.77", 64), // a neighbour that never answers: held, then unresolved
        ];

        long RouteBatches()
        {
            for (var n = 0; n < 200; n++)
            {
                pool.TryRent(out var batch);
                var fromTap = n % 4 == 0;
                batch.IngressPort = fromTap ? 1 : 0;
                for (var i = 0; i < 64; i++) batch.TryAppendCopy(fromTap ? (i == 0 ? announce : framed) : frames[i % frames.Length]);
                forwarder.Route(batch, routes);
            }
            return 0;
        }

        var (allocated, _) = SteadyState.Measure(RouteBatches, warmups: 1);

        Assert.Equal(0, allocated);
        Assert.True(ports[1].Counters.Drops(DropReason.TtlExpired) > 0);
        Assert.Equal(0, ports[0].Counters.TotalDrops);
    }

    [Fact]
    public void Classifying_batches_through_the_rule_table_and_injecting_allocates_nothing()
    {
        var pool = new FrameBatchPool(batchCapacity: 64, bufferSize: 2048, maxBatches: 64);
        // 0 tun, 1 tun, 2 controller, 3 tap.
        var ports = Enumerable.Range(0, 4)
            .Select(i => new Port(i, $"p{i}", new ReleasingRef(), 1500, new PortCounters()) { IsController = i == 2, IsPeer = i == 2, IsEthernet = i == 3 })
            .ToArray();
        var index = new Dictionary<string, int> { ["p0"] = 0, ["p1"] = 1, ["p2"] = 2, ["p3"] = 3 };
        var specs = new[]
        {
            new RuleSpec(0, 100, RuleMatchSpec.Any with { InPort = "p0", IpProtocol = 89 }, RuleActionKind.Controller, "p2"),
            new RuleSpec(1, 100, RuleMatchSpec.Any with { Destination = System.Net.IPNetwork.Parse("10.0.9.0/24") }, RuleActionKind.Drop, null),
            new RuleSpec(2, 100, RuleMatchSpec.Any with { LinkLocalSource = true }, RuleActionKind.Normal, null),
        };
        var routes = new RouteSnapshot(ports, [(IpPrefix.Ipv4(Packets.V4("10.0.1.0"), 24), 1)], RuleTable.Build(RuleCompiler.Compile(specs, name => index[name])));
        var forwarder = new Forwarder(pool, new RouterCounters(), new IcmpRateLimiter(1000, 200));
        var ospf = Packets.Ipv4Udp("10.0.0.1", "224.0.0.5", 44, ttl: 1);
        ospf[9] = 89;
        byte[][] frames = [ospf, Packets.Ipv4Udp("10.0.0.1", "10.0.9.5", 64), Packets.Ipv4Udp("10.0.0.1", "10.0.1.5", 64)];

        long ClassifyBatches()
        {
            for (var n = 0; n < 200; n++)
            {
                pool.TryRent(out var batch);
                var fromController = n % 4 == 3;
                batch.IngressPort = fromController ? 2 : 0;
                for (var i = 0; i < 64; i++)
                {
                    // The controller injects good frames into a tun and bad ones (IP) into the tap: refused.
                    batch.TryAppendCopy(fromController ? ospf : frames[i % frames.Length]);
                    if (!fromController) continue;
                    batch.SetTag(i, i % 2 == 0 ? 1 : 3);
                    batch.SetNote(i, ControllerNote.Inject);
                }
                forwarder.Route(batch, routes);
            }
            return 0;
        }

        var (allocated, _) = SteadyState.Measure(ClassifyBatches, warmups: 1);

        Assert.Equal(0, allocated);
        Assert.True(ports[0].Counters.Drops(DropReason.Rule) > 0);
        Assert.True(ports[2].Counters.Drops(DropReason.Malformed) > 0);
    }

    [Fact]
    public void Carrying_batches_over_wires_after_warm_up_allocates_nothing()
    {
        var pool = new FrameBatchPool(batchCapacity: 64, bufferSize: 2048, maxBatches: 64);
        // 0 tun <-> 2 engine link (tag 0), 1 tap <-> 2 (tag 1).
        PortWires ToLink(int tag) => new([new WireEnd(2, tag)], tagged: false);
        var wires = new[] { ToLink(0), ToLink(1), new PortWires([new WireEnd(0, -1), new WireEnd(1, -1)], tagged: true) };
        var ports = Enumerable.Range(0, 3)
            .Select(i => new Port(i, $"p{i}", new ReleasingRef(), 1500 + Forwarder.WiredLinkHeader, new PortCounters()) { IsEthernet = i == 1, Wires = wires[i] })
            .ToArray();
        var routes = new RouteSnapshot(ports, []);
        var forwarder = new Forwarder(pool, new RouterCounters(), new IcmpRateLimiter(1000, 200));
        var packet = Packets.Ipv4Udp("10.0.0.1", "224.0.0.5", 64, ttl: 1);

        long CarryBatches()
        {
            for (var n = 0; n < 200; n++)
            {
                pool.TryRent(out var batch);
                batch.IngressPort = n % 3;
                for (var i = 0; i < 64; i++)
                {
                    batch.TryAppendCopy(packet);
                    batch.SetTag(i, i % 3 - 1); // from the link: tags 0, 1 and -1 (no wire: dropped)
                }
                forwarder.Route(batch, routes);
            }
            return 0;
        }

        var (allocated, _) = SteadyState.Measure(CarryBatches, warmups: 1);

        Assert.Equal(0, allocated);
        Assert.True(ports[2].Counters.Drops(DropReason.NoRoute) > 0);
    }

    [Fact]
    public void Routing_through_a_switchs_router_interface_after_warm_up_allocates_nothing()
    {
        var pool = new FrameBatchPool(batchCapacity: 64, bufferSize: 2048, maxBatches: 64);
        // 0 and 1 taps of switch lan1, 2 a tun (10.0.9.0/24), 3 lan1's router interface (10.0.5.254).
        var lan = new L2Switch("lan1", [0, 1, 3], new MacTable(3, 16, Stopwatch.Frequency * 300), new StormControl(3, 1_000_000_000, Stopwatch.Frequency), routerMember: 2);
        var ports = new[]
        {
            new Port(0, "p0", new ReleasingRef(), 1500, new PortCounters()) { IsEthernet = true, Switch = new SwitchMembership(lan, 0) },
            new Port(1, "p1", new ReleasingRef(), 1500, new PortCounters()) { IsEthernet = true, Switch = new SwitchMembership(lan, 1) },
            new Port(2, "p2", new ReleasingRef(), 1500, new PortCounters()) { Ipv4Address = Packets.V4("10.0.9.254") },
            new Port(3, "lan1", ActorRefs.Nobody, 1500, new PortCounters())
            {
                IsEthernet = true,
                IsRouterInterface = true,
                Mac = MacAddress.Parse(Frames.RouterMac),
                Ipv4Address = Packets.V4("10.0.5.254"),
                Switch = new SwitchMembership(lan, 2),
            },
        };
        var routes = new RouteSnapshot(ports, [(IpPrefix.Ipv4(Packets.V4("10.0.5.0"), 24), 3), (IpPrefix.Ipv4(Packets.V4("10.0.9.0"), 24), 2)]);
        var forwarder = new Forwarder(pool, new RouterCounters(), new IcmpRateLimiter(1000, 200));
        var fromHost = new byte[EthernetFrame.HeaderLength + 92];
        EthernetFrame.WriteHeader(fromHost, MacAddress.Parse(Frames.RouterMac), MacAddress.Parse(Frames.HostMac), EtherType.Ipv4);
        Packets.Ipv4Udp("10.0.5.1", "10.0.9.5", 64).CopyTo(fromHost, EthernetFrame.HeaderLength);
        var arp = Frames.Arp(PacketDotNet.ArpOperation.Request, Frames.HostMac, "10.0.5.1", "00:00:00:00:00:00", "10.0.5.254");
        var fromTun = Packets.Ipv4Udp("10.0.9.5", "10.0.5.1", 64);

        long RouteBatches()
        {
            for (var n = 0; n < 200; n++)
            {
                pool.TryRent(out var batch);
                // The host's frames (to the router, and ARP for it: flooded and answered), then the tun's answers to the host.
                batch.IngressPort = n % 2 == 0 ? 0 : 2;
                for (var i = 0; i < 64; i++) batch.TryAppendCopy(n % 2 == 1 ? fromTun : i % 8 == 0 ? arp : fromHost);
                forwarder.Route(batch, routes);
            }
            return 0;
        }

        var (allocated, _) = SteadyState.Measure(RouteBatches, warmups: 1);

        Assert.Equal(0, allocated);
        Assert.True(ports[3].Counters.RxPackets > 0 && ports[3].Counters.TxPackets > 0);
        Assert.Equal(0, ports[0].Counters.TotalDrops + ports[2].Counters.TotalDrops + ports[3].Counters.TotalDrops);
    }

    [Fact]
    public void Delivering_to_and_from_control_plane_mirrors_after_warm_up_allocates_nothing()
    {
        var pool = new FrameBatchPool(batchCapacity: 64, bufferSize: 2048, maxBatches: 64);
        // 0 a tun and 1 a tap, mirrored by 2 and 3.
        var ports = new[]
        {
            new Port(0, "tun", new ReleasingRef(), 1500, new PortCounters()) { Ipv4Address = Packets.V4("10.0.0.254"), ControlPlane = 2 },
            new Port(1, "tap", new ReleasingRef(), 1500, new PortCounters())
            {
                IsEthernet = true, Mac = MacAddress.Parse(Frames.RouterMac), Ipv4Address = Packets.V4("10.0.1.254"), ControlPlane = 3,
            },
            new Port(2, "tun@rtr", new ReleasingRef(), 1500, new PortCounters()) { MirrorOf = 0 },
            new Port(3, "tap@rtr", new ReleasingRef(), 1500, new PortCounters()) { IsEthernet = true, Mac = MacAddress.Parse(Frames.RouterMac), MirrorOf = 1 },
        };
        var routes = new RouteSnapshot(ports, [(IpPrefix.Ipv4(Packets.V4("10.0.0.0"), 24), 0), (IpPrefix.Ipv4(Packets.V4("10.0.1.0"), 24), 1)]);
        var forwarder = new Forwarder(pool, new RouterCounters(), new IcmpRateLimiter(1000, 200));
        (int Port, byte[] Frame)[] frames =
        [
            (0, Packets.Ipv4Udp("10.0.0.1", "224.0.0.5", 44, ttl: 1)), // to the mirror
            (0, Packets.Ipv4Udp("10.0.0.1", "10.0.0.254", 40, ttl: 1)), // to the mirror
            (0, Packets.Ipv4Udp("10.0.0.1", "10.0.0.5", 64)), // routed back out of the tun
            (1, Frames.Arp(PacketDotNet.ArpOperation.Request, Frames.HostMac, "10.0.1.1", "00:00:00:00:00:00", "10.0.1.254")), // copied and answered
            (2, Packets.Ipv4Udp("10.0.0.254", "224.0.0.5", 44, ttl: 1)), // out of the tun
            (3, Frames.Arp(PacketDotNet.ArpOperation.Request, Frames.RouterMac, "10.0.1.254", "00:00:00:00:00:00", "10.0.1.1")), // out of the tap
        ];

        long RouteBatches()
        {
            for (var n = 0; n < 200; n++)
            {
                var (port, frame) = frames[n % frames.Length];
                pool.TryRent(out var batch);
                batch.IngressPort = port;
                for (var i = 0; i < 64; i++) batch.TryAppendCopy(frame);
                forwarder.Route(batch, routes);
            }
            return 0;
        }

        var (allocated, _) = SteadyState.Measure(RouteBatches, warmups: 1);

        Assert.Equal(0, allocated);
        Assert.Equal(0, ports.Sum(p => p.Counters.TotalDrops));
    }
}
