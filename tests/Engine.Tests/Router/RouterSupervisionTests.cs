using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Devices;
using Engine.Actors.Lab;
using Engine.Actors.Router;
using Engine.Actors.Routing;
using Engine.Native;
using Engine.Tests.Wire;
using Xunit;

namespace Engine.Tests.Router;

/// <summary>
/// A restarted router once came back with the empty table its Props carried, and every port
/// stopped forwarding for good. What it was told now outlives its instances, and the lab's
/// supervision resumes it rather than restart it on a fault that is not a broken fd.
/// </summary>
public sealed class RouterSupervisionTests : TestKit
{
    private readonly FrameBatchPool _pool = new(batchCapacity: 16, bufferSize: 4096, maxBatches: 64);
    private readonly TestProbe[] _probes;
    private readonly Port[] _ports;

    // Ports: 0 and 1 devices (10.0.1.0/24, 10.0.2.0/24), 2 a peer (10.0.3.0/24, backup port 1).
    public RouterSupervisionTests()
    {
        _probes = [CreateTestProbe("p0"), CreateTestProbe("p1"), CreateTestProbe("p2")];
        _ports = Enumerable.Range(0, 3).Select(i => new Port(i, $"p{i}", _probes[i], 1500, new PortCounters())
        {
            Ipv4Address = Packets.V4($"10.0.{i + 1}.254"),
            IsPeer = i == 2,
        }).ToArray();
    }

    [Fact]
    public void A_restarted_router_routes_with_the_table_it_was_given()
    {
        var supervisor = Sys.ActorOf(Props.Create(() => new RestartingParent(RouterActor.Props(_pool, RouteSnapshot.Empty, new RouterCounters()))));
        var routes = new List<TableRoute>
        {
            new(IpPrefix.Ipv4(Packets.V4("10.0.2.0"), 24), 1),
            new(IpPrefix.Ipv4(Packets.V4("10.0.3.0"), 24), 2, Backup: 1),
        };
        supervisor.Tell(new RoutesChanged(RouteSnapshot.Of(_ports, routes.Select(r => (r.Prefix, r.Via)))));

        // A control message that faults (no port has index -1): the parent restarts the router.
        supervisor.Tell(new PortOffloadsChanged(-1, PortOffloads.None));
        supervisor.Tell(RestartingParent.HowManyRestarts.Instance);
        AwaitAssert(() =>
        {
            supervisor.Tell(RestartingParent.HowManyRestarts.Instance);
            Assert.Equal(1, ExpectMsg<int>());
        });

        supervisor.Tell(Batch(ingress: 0, Packets.Ipv4Udp("10.0.1.1", "10.0.2.5", 16), Packets.Ipv4Udp("10.0.1.1", "10.0.3.5", 16)));
        var toDevice = _probes[1].ExpectMsg<FrameBatch>();
        var toPeer = _probes[2].ExpectMsg<FrameBatch>();
        Assert.Equal((1, 1), (toDevice.Count, toPeer.Count));
        toDevice.Release();
        toPeer.Release();
        Assert.Equal(0, _ports[0].Counters.TotalDrops);
    }

    [Fact]
    public void A_restarted_route_book_goes_on_from_the_table_a_reload_gave_it_and_its_runtime_routes()
    {
        var router = CreateTestProbe();
        var net = IpPrefix.Ipv4(Packets.V4("10.9.0.0"), 16);
        var runtime = IpPrefix.Ipv4(Packets.V4("10.8.0.0"), 16);
        var book = RouteBookActor.Props(router, new RouteTable(_ports, [new TableRoute(net, new NextHop(0))]), TimeSpan.Zero);
        var supervisor = Sys.ActorOf(Props.Create(() => new RestartingParent(book)));
        router.ExpectMsg<RoutesChanged>();
        supervisor.Tell(new ReplaceLabRoutes(new RouteTable(_ports, [new TableRoute(net, new NextHop(1))]), TestActor));
        router.ExpectMsg<RoutesChanged>();
        router.ExpectMsg<RouterSync>();
        supervisor.Tell(new SetRuntimeRoute(runtime, new TableRoute(runtime, new NextHop(2))));
        ExpectMsg<RuntimeRouteSet>();
        router.ExpectMsg<RoutesChanged>();

        // A change that faults (no list of changes): the parent restarts the book.
        supervisor.Tell(new ChangeRoutes(RouteSource.Fpm, null!));
        AwaitAssert(() =>
        {
            supervisor.Tell(RestartingParent.HowManyRestarts.Instance);
            Assert.Equal(1, ExpectMsg<int>());
        });

        var other = IpPrefix.Ipv4(Packets.V4("10.7.0.0"), 16);
        supervisor.Tell(new SetRuntimeRoute(other, new TableRoute(other, new NextHop(0))));
        ExpectMsg<RuntimeRouteSet>();
        var routes = router.ExpectMsg<RoutesChanged>().Routes;
        Assert.Equal(new NextHop(1), routes.NextHops[routes.Ipv4.Lookup(Packets.V4("10.9.1.1"))]);
        Assert.Equal(new NextHop(2), routes.NextHops[routes.Ipv4.Lookup(Packets.V4("10.8.1.1"))]);
    }

    [Fact]
    public void The_lab_restarts_what_owns_a_broken_fd_and_resumes_after_any_other_fault()
    {
        Assert.Equal(Directive.Restart, LabSupervision.Decide(new NativeException("write", "tun-a", 5)));
        Assert.Equal(Directive.Restart, LabSupervision.Decide(new DeviceFailedException("tun-a", new NativeException("read", "tun-a", 77))));
        Assert.Equal(Directive.Resume, LabSupervision.Decide(new ArgumentOutOfRangeException("length")));
        Assert.Equal(Directive.Resume, LabSupervision.Decide(new IndexOutOfRangeException()));
        Assert.Equal(Directive.Stop, LabSupervision.Decide(new ActorInitializationException("open failed")));
    }

    private FrameBatch Batch(int ingress, params byte[][] frames)
    {
        Assert.True(_pool.TryRent(out var batch));
        batch.IngressPort = ingress;
        foreach (var frame in frames) Assert.True(batch.TryAppendCopy(frame));
        return batch;
    }

    /// <summary>Restarts its one child on any failure and passes every other message to it.</summary>
    private sealed class RestartingParent : UntypedActor
    {
        private readonly IActorRef _child;
        private int _restarts;

        public RestartingParent(Props child) => _child = Context.ActorOf(child, "router");

        protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(cause =>
        {
            _restarts++;
            return Directive.Restart;
        });

        protected override void OnReceive(object message)
        {
            if (message is HowManyRestarts) Sender.Tell(_restarts);
            else _child.Forward(message);
        }

        public sealed class HowManyRestarts
        {
            public static readonly HowManyRestarts Instance = new();
        }
    }
}
