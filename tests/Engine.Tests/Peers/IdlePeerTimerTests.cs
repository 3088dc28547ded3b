using System.Net;
using System.Net.Sockets;
using Engine.Actors.Dataplane;
using Engine.Actors.Topology;
using Xunit;

namespace Engine.Tests.Peers;

/// <summary>
/// A peer's timers run while it has a link and stop when it has none, so a listener nobody
/// connects to never wakes the engine (issue 16: an idle engine sleeps).
/// </summary>
public sealed class IdlePeerTimerTests() : Akka.TestKit.Xunit2.TestKit(
    $"akka.scheduler.implementation = \"{typeof(DeadlineScheduler).AssemblyQualifiedName}\"")
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private DeadlineScheduler Scheduler => Assert.IsType<DeadlineScheduler>(Sys.Scheduler);

    [Fact]
    public void A_listener_has_a_stall_timer_only_while_it_has_a_connection()
    {
        Thread.Sleep(200);
        var before = Scheduler.Pending;
        var endpoint = new IPEndPoint(IPAddress.Loopback, PeerHarness.FreePort());
        using var peer = new PeerHarness(this, PeerHarness.Spec(PeerRole.Quagga, PeerTransport.Tcp, PeerFraming.Length16, listen: endpoint,
            stallTimeout: TimeSpan.FromMilliseconds(400)));
        Thread.Sleep(300);
        Assert.Equal(before, Scheduler.Pending);

        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(endpoint);
        peer.ExpectLink(up: true);
        AwaitAssert(() => Assert.Equal(before + 1, Scheduler.Pending), Wait);

        client.Dispose();
        peer.ExpectLink(up: false);
        AwaitAssert(() => Assert.Equal(before, Scheduler.Pending), Wait);
    }
}
