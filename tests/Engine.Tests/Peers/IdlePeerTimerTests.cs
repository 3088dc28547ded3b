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

        using var client = ConnectWhenListening(endpoint);
        peer.ExpectLink(up: true);
        AwaitAssert(() => Assert.Equal(before + 1, Scheduler.Pending), Wait);

        client.Close();
        peer.ExpectLink(up: false);
        AwaitAssert(() => Assert.Equal(before, Scheduler.Pending), Wait);
    }

    /// <summary>Connects once the listener is open: on a loaded machine that may take longer than the wait above.</summary>
    private static Socket ConnectWhenListening(IPEndPoint endpoint)
    {
        var deadline = Environment.TickCount64 + 5000;
        while (true)
        {
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                client.Connect(endpoint);
                return client;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused && Environment.TickCount64 < deadline)
            {
                client.Dispose();
                Thread.Sleep(50);
            }
        }
    }
}
