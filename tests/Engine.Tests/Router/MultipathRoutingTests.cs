using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Router;
using Engine.Actors.Routing;
using Engine.Tests.Wire;
using PacketDotNet;
using PacketDotNet.Utils;
using Xunit;
using static Engine.Tests.Routing.TestPrefixes;

namespace Engine.Tests.Router;

/// <summary>
/// A multipath route (10.9.0.0/16 and fd00:9::/48 over the tuns a and b) spreads flows over its
/// paths by their 5-tuple: every path carries some of many flows, a flow's packets all take one
/// path, and the fragments of a datagram stay together although only the first has its ports.
/// </summary>
public sealed class MultipathRoutingTests : TestKit
{
    private readonly FrameBatchPool _pool = TestPorts.Pool();
    private readonly TestProbe[] _tuns;
    private readonly IActorRef _router;

    public MultipathRoutingTests()
    {
        _tuns = [CreateTestProbe("tun-a"), CreateTestProbe("tun-b"), CreateTestProbe("tun-c")];
        Port[] ports =
        [
            TestPorts.Tun(0, "tun-a", _tuns[0], "10.0.1.254"),
            TestPorts.Tun(1, "tun-b", _tuns[1], "10.0.2.254"),
            TestPorts.Tun(2, "tun-c", _tuns[2], "10.0.3.254"),
        ];
        SnapshotRoute[] routes =
        [
            new(Prefix("10.0.3.0/24"), new NextHop(2)),
            SnapshotRoute.Multipath(Prefix("10.9.0.0/16"), [new(new NextHop(0, Packets.V4("10.0.1.1"))), new(new NextHop(1, Packets.V4("10.0.2.1")))]),
            SnapshotRoute.Multipath(Prefix("fd00:9::/48"), [new(new NextHop(0)), new(new NextHop(1))]),
        ];
        _router = Sys.ActorOf(RouterActor.Props(_pool, RouteSnapshot.Of(ports, routes), new RouterCounters()));
    }

    [Theory]
    [InlineData("10.0.3.1", "10.9.0.5")]
    [InlineData("fd00:3::1", "fd00:9::5")]
    public void Many_flows_use_both_paths_and_each_flow_keeps_to_one(string source, string destination)
    {
        var pathOf = new Dictionary<ushort, int>();
        for (ushort port = 1000; port < 1064; port++)
            pathOf[port] = PathOf(Udp(source, destination, port));

        Assert.Contains(0, pathOf.Values);
        Assert.Contains(1, pathOf.Values);
        foreach (var (port, path) in pathOf.Take(8))
            Assert.Equal(path, PathOf(Udp(source, destination, port)));
    }

    [Fact]
    public void The_fragments_of_a_datagram_take_one_path_though_only_the_first_carries_the_ports()
    {
        var paths = new HashSet<int>();
        foreach (var fragment in Fragments(Packets.Ipv4Udp("10.0.3.1", "10.9.0.5", 3000, sourcePort: 1234), 1480))
            paths.Add(PathOf(fragment));

        Assert.Single(paths);
    }

    private int PathOf(byte[] packet)
    {
        ProbeFrames.Send(_pool, _router, 2, packet);
        AwaitCondition(() => _tuns[0].HasMessages || _tuns[1].HasMessages);
        var path = _tuns[0].HasMessages ? 0 : 1;
        ProbeFrames.Single(_tuns[path]);
        return path;
    }

    private static byte[] Udp(string source, string destination, ushort sourcePort) =>
        source.Contains(':')
            ? Packets.Ipv6Udp(source, destination, 16, sourcePort: sourcePort)
            : Packets.Ipv4Udp(source, destination, 16, sourcePort: sourcePort);

    /// <summary>An IPv4 packet cut into fragments of at most <paramref name="mtu"/> bytes, as a host's stack cuts it.</summary>
    private static IEnumerable<byte[]> Fragments(byte[] packet, int mtu)
    {
        var payload = packet.AsSpan(20).ToArray();
        var step = (mtu - 20) / 8 * 8;
        for (var offset = 0; offset < payload.Length; offset += step)
        {
            var length = Math.Min(step, payload.Length - offset);
            var fragment = new byte[20 + length];
            packet.AsSpan(0, 20).CopyTo(fragment);
            payload.AsSpan(offset, length).CopyTo(fragment.AsSpan(20));
            var ip = new IPv4Packet(new ByteArraySegment(fragment))
            {
                TotalLength = fragment.Length,
                FragmentOffset = offset / 8,
                FragmentFlags = (byte)(offset + length < payload.Length ? 0b001 : 0),
            };
            ip.UpdateIPChecksum();
            yield return ip.Bytes;
        }
    }
}
