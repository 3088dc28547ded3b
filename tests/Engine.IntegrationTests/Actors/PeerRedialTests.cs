using System.Collections.Immutable;
using System.Net;
using Akka.Actor;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Dataplane;
using Engine.Actors.Peers;
using Engine.Actors.Topology;
using Engine.IntegrationTests.Infrastructure;
using Engine.IntegrationTests.Native;
using Engine.Native.Reactor;
using Xunit;

namespace Engine.IntegrationTests.Actors;

/// <summary>A peer in a namespace redials without holding the reactor, which every port shares.</summary>
public sealed class PeerRedialTests : Akka.TestKit.Xunit2.TestKit
{
    [IntegrationFact]
    public void A_redial_stuck_entering_its_namespace_leaves_the_reactor_running()
    {
        using var ns = TestNamespace.Create();
        var reactor = new Reactor("redial-test");
        ReactorDispatcher.Register(Sys, reactor);
        Sys.WhenTerminated.ContinueWith(_ => reactor.Dispose());
        // Nobody listens in the namespace: every dial is refused and redialled within 400 ms.
        var spec = new PeerSpec("peer", PeerRole.Quagga, PeerTransport.Tcp, PeerFraming.Length16,
            new IPEndPoint(IPAddress.Loopback, 9), null, ns.Name, ImmutableArray<IPNetwork>.Empty, null, null,
            TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5),
            PeerSpec.DefaultSendQueue);
        var environment = new PeerEnvironment(reactor, new FrameBatchPool(16, 2048, maxBatches: 64), CreateTestProbe().Ref,
            "engine-under-test", ["peer"], DefaultMtu: 1500);
        var peer = Sys.ActorOf(PeerActor.Props(spec, 0, new PortCounters(), environment).OnDataplane());
        Watch(peer);

        using var name = BlockingNamespaceName.Replace(ns.Name);
        Thread.Sleep(TimeSpan.FromSeconds(1)); // a redial is due by then, and waits on the FIFO

        Assert.True(ReactorRuns(reactor), "the reactor is stuck behind a redial");
        using (name.LetThrough())
        {
            // The redial that waited fails to enter a FIFO; the peer goes on redialling, and so does the reactor.
            Thread.Sleep(TimeSpan.FromSeconds(1));
            Assert.True(ReactorRuns(reactor), "the reactor is stuck");
        }
        name.Dispose();
        ExpectNoMsg(TimeSpan.FromMilliseconds(500)); // no Terminated: a failed redial is not the peer's end
        Sys.Stop(peer);
        ExpectTerminated(peer);
    }

    private static bool ReactorRuns(Reactor reactor)
    {
        var ran = new ManualResetEventSlim(); // not disposed: a stuck reactor sets it later
        reactor.Post(ran.Set);
        return ran.Wait(TimeSpan.FromSeconds(5));
    }
}
