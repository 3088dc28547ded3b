using System.Net;
using System.Runtime.InteropServices;
using Akka.TestKit.Xunit2;
using Engine.Actors.Peers;
using Engine.Native.Reactor;
using Engine.Native.Sockets;
using Xunit;

namespace Engine.Tests.Peers;

public sealed partial class AcceptorTests : TestKit
{
    [Fact]
    public void A_listener_whose_accept_fails_stops_watching_tells_its_owner_once_and_tries_again_when_resumed()
    {
        using var reactor = new Reactor("acceptor-test");
        var owner = CreateTestProbe();
        var endpoint = new IPEndPoint(IPAddress.Loopback, PeerHarness.FreePort());
        var listener = NativeSocket.Open(endpoint, stream: true, "test listener");
        listener.Bind(endpoint);
        listener.Listen(backlog: 4);
        Acceptor? acceptor = null;
        reactor.Post(() => acceptor = new Acceptor(reactor, listener, owner, new AllowList([])));

        // A shut-down listener stays readable (hung up) and every accept on it fails (EINVAL),
        // as one out of file descriptors does while the connection waits.
        Assert.Equal(0, shutdown((int)listener.Handle.DangerousGetHandle(), 2));

        Assert.Contains("accept", owner.ExpectMsg<AcceptPaused>().Reason);
        owner.ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // not once per reactor turn
        reactor.Post(() => acceptor!.Resume());
        owner.ExpectMsg<AcceptPaused>();
        reactor.Post(() => acceptor!.Dispose());
    }

    [LibraryImport("libc")]
    private static partial int shutdown(int fd, int how);
}
