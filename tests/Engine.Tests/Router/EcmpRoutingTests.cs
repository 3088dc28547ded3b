using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Router;
using Engine.Actors.Routing;
using Engine.Tests.Wire;
using Xunit;

namespace Engine.Tests.Router;

/// <summary>
/// A route of two next hops (tun-b and tun-c): flows, told apart by their ports, go to both, each
/// flow always to the same one; the fragments of one datagram hash without ports and take one path.
/// </summary>
public sealed class EcmpRoutingTests : TestKit
{
    private readonly FrameBatchPool _pool = new(batchCapacity: 64, bufferSize: 2048, maxBatches: 64);
    private readonly TestProbe[] _probes;
    private readonly IActorRef _router;

    public EcmpRoutingTests()
    {
        _probes = [CreateTestProbe("a"), CreateTestProbe("b"), CreateTestProbe("c")];
        var ports = Enumerable.Range(0, 3).Select(i => new Port(i, $"p{i}", _probes[i], 1500, new PortCounters()) { Ipv4Address = Packets.V4($"10.0.{i + 1}.254") }).ToArray();
        var group = new EcmpGroup([(new NextHop(1), 1), (new NextHop(2), 1)]);
        (IpPrefix, NextHop, EcmpGroup?)[] routes =
        [
            (IpPrefix.Ipv4(Packets.V4("10.0.1.0"), 24), new NextHop(0), null),
            (IpPrefix.Ipv4(Packets.V4("10.9.0.0"), 16), new NextHop(1), group),
            (IpPrefix.Ipv6(Packets.V6("fd00:9::"), 48), new NextHop(1), group),
        ];
        _router = Sys.ActorOf(RouterActor.Props(_pool, RouteSnapshot.Of(ports, routes), new RouterCounters()));
    }

    [Fact]
    public void Flows_spread_over_both_next_hops_and_each_flow_keeps_its_own()
    {
        var seen = new Dictionary<ushort, int>();
        for (var round = 0; round < 2; round++)
            for (ushort sourcePort = 1000; sourcePort < 1032; sourcePort++)
            {
                ProbeFrames.Send(_pool, _router, 0, WithSourcePort(Packets.Ipv4Udp("10.0.1.1", "10.9.0.5", 16), 20, sourcePort));
                var egress = Egress();
                if (round == 0) seen[sourcePort] = egress;
                else Assert.Equal(seen[sourcePort], egress);
            }
        Assert.Contains(1, seen.Values);
        Assert.Contains(2, seen.Values);
    }

    [Fact]
    public void Ipv6_flows_spread_too()
    {
        var ports = new HashSet<int>();
        for (ushort sourcePort = 1000; sourcePort < 1032; sourcePort++)
        {
            ProbeFrames.Send(_pool, _router, 0, WithSourcePort(Packets.Ipv6Udp("fd00:1::1", "fd00:9::5", 16), 40, sourcePort));
            ports.Add(Egress());
        }
        Assert.Equal([1, 2], ports.Order());
    }

    [Fact]
    public void Fragments_of_one_datagram_hash_without_ports_and_take_one_path()
    {
        var ports = new HashSet<int>();
        for (ushort sourcePort = 1000; sourcePort < 1032; sourcePort++)
        {
            var fragment = WithSourcePort(Packets.Ipv4Udp("10.0.1.1", "10.9.0.5", 16), 20, sourcePort);
            fragment[6] |= 0x20; // more fragments: a first fragment, whose ports later fragments lack
            Ipv4Checksum(fragment);
            ProbeFrames.Send(_pool, _router, 0, fragment);
            ports.Add(Egress());
        }
        Assert.Single(ports);
    }

    private int Egress()
    {
        for (var (port, tries) = (1, 0); ; (port, tries) = (port == 1 ? 2 : 1, tries + 1))
        {
            Assert.True(tries < 50, "the frame left through neither next hop");
            var batch = _probes[port].ReceiveOne(TimeSpan.FromMilliseconds(100)) as FrameBatch;
            if (batch is null) continue;
            batch.Release();
            return port;
        }
    }

    private static byte[] WithSourcePort(byte[] packet, int transport, ushort port)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(transport), port);
        return packet;
    }

    private static void Ipv4Checksum(byte[] packet)
    {
        packet[10] = packet[11] = 0;
        var sum = 0u;
        for (var i = 0; i < 20; i += 2) sum += (uint)(packet[i] << 8 | packet[i + 1]);
        while (sum > 0xFFFF) sum = (sum & 0xFFFF) + (sum >> 16);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), (ushort)~sum);
    }
}
