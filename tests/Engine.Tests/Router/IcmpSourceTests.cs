using System.Net;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Router;
using Engine.Actors.Routing;
using Engine.Actors.Wire;
using Engine.Tests.Wire;
using PacketDotNet;
using PacketDotNet.Utils;
using Xunit;

namespace Engine.Tests.Router;

/// <summary>
/// Where an ICMP error comes from when the link the packet came in on has no address of its
/// family: two engines looping IPv6 between them over a peer link once dropped the expired
/// packet silently when neither had an IPv6 address.
/// </summary>
public sealed class IcmpSourceTests : TestKit
{
    private readonly FrameBatchPool _pool = new(batchCapacity: 16, bufferSize: 4096, maxBatches: 64);

    [Fact]
    public void An_engine_with_no_ipv6_address_answers_from_the_ingress_links_link_local_address()
    {
        var (router, probes, ports) = Router(withAddresses: false);
        router.Tell(Batch(ingress: 0, Packets.Ipv6Udp("fd00:9::1", "fd00:3::5", 16, hopLimit: 1)));

        var answer = probes[0].ExpectMsg<FrameBatch>();
        var ip = new IPv6Packet(new ByteArraySegment(answer.Frame(0).ToArray()));
        Assert.Equal(IPAddress.Parse("fd00:9::1"), ip.DestinationAddress);
        Assert.True(ip.SourceAddress.IsIPv6LinkLocal, ip.SourceAddress.ToString());
        Assert.Equal(ports[0].LinkLocalIpv6, Packets.V6(ip.SourceAddress.ToString()));
        Assert.Equal(IcmpV6Type.TimeExceeded, Assert.IsType<IcmpV6Packet>(ip.PayloadPacket).Type);
        answer.Release();
    }

    [Fact]
    public void With_none_on_the_ingress_the_answer_comes_from_the_port_the_route_back_leaves_through()
    {
        var (router, probes, _) = Router(withAddresses: true);
        router.Tell(Batch(ingress: 0, Packets.Ipv6Udp("fd00:2::7", "fd00:3::5", 16, hopLimit: 1)));
        router.Tell(Batch(ingress: 0, Packets.Ipv4Udp("10.0.2.7", "10.0.3.5", 16, ttl: 1)));

        var v6 = new IPv6Packet(new ByteArraySegment(probes[0].ExpectMsg<FrameBatch>().Frame(0).ToArray()));
        var v4 = new IPv4Packet(new ByteArraySegment(probes[0].ExpectMsg<FrameBatch>().Frame(0).ToArray()));
        Assert.Equal(IPAddress.Parse("fd00:2::fe"), v6.SourceAddress);
        Assert.Equal(IPAddress.Parse("10.0.2.254"), v4.SourceAddress);
    }

    [Fact]
    public void A_link_local_address_is_the_modified_eui64_of_the_ports_mac()
    {
        var port = new Port(0, "tap-a", ActorRefs.Nobody, 1500, new PortCounters()) { Mac = MacAddress.Parse("02:11:22:33:44:55") };
        Assert.Equal(Packets.V6("fe80::11:22ff:fe33:4455"), port.LinkLocalIpv6);
    }

    // Ports: 0 a peer link (no address), 1 a peer towards 10.0.3.0/24 and fd00:3::/64, 2 a device
    // on 10.0.2.0/24 and fd00:2::/64 with the engine's addresses when withAddresses.
    private (IActorRef Router, TestProbe[] Probes, Port[] Ports) Router(bool withAddresses)
    {
        var probes = new[] { CreateTestProbe(), CreateTestProbe(), CreateTestProbe() };
        var ports = Enumerable.Range(0, 3).Select(i => new Port(i, $"p{i}", probes[i], 1500, new PortCounters())
        {
            Ipv4Address = withAddresses && i == 2 ? Packets.V4("10.0.2.254") : 0,
            Ipv6Address = withAddresses && i == 2 ? Packets.V6("fd00:2::fe") : UInt128.Zero,
        }).ToArray();
        var routes = new (IpPrefix, int)[]
        {
            (IpPrefix.Ipv4(Packets.V4("10.0.3.0"), 24), 1), (IpPrefix.Ipv6(Packets.V6("fd00:3::"), 64), 1),
            (IpPrefix.Ipv4(Packets.V4("10.0.2.0"), 24), 2), (IpPrefix.Ipv6(Packets.V6("fd00:2::"), 64), 2),
        };
        return (Sys.ActorOf(RouterActor.Props(_pool, new RouteSnapshot(ports, routes), new RouterCounters())), probes, ports);
    }

    private FrameBatch Batch(int ingress, params byte[][] frames)
    {
        Assert.True(_pool.TryRent(out var batch));
        batch.IngressPort = ingress;
        foreach (var frame in frames) Assert.True(batch.TryAppendCopy(frame));
        return batch;
    }
}
