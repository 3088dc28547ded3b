using System.Net.Security;
using System.Text;
using Akka.TestKit.Xunit2;
using Engine.Actors.OpenFlow;
using Engine.Native.Sockets;
using Xunit;

namespace Engine.Tests.OpenFlow;

/// <summary>
/// The TLS pump between a controller and the engine's OpenFlow connection, over a socket pair
/// standing for the TCP connection: the plain end it hands over carries the controller's bytes
/// both ways, the controller's close reaches it as a closed socket with the reason, and a
/// controller the CA did not sign, or one that speaks no TLS, fails the handshake.
/// </summary>
public sealed class OpenFlowTlsPumpTests : TestKit, IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly TlsFiles _files = new();
    private readonly OpenFlowTlsCredentials _switch;

    public OpenFlowTlsPumpTests() => _switch = OpenFlowTlsCredentials.Load(_files.Switch);

    /// <summary>
    /// A controller on the far end of a pair (<paramref name="far"/>, for the test to close), as
    /// the TLS server (as ovs-testcontroller's pssl: is), run on a thread of its own.
    /// </summary>
    private static (NativeSocket Network, Task<SslStream> Controller) Controller(OpenFlowTlsCredentials controller, out NativeSocket far)
    {
        var (network, farEnd) = NativeSocket.Pair("test tcp");
        far = farEnd;
        var task = Task.Factory.StartNew(() =>
        {
            var tls = new SslStream(new NativeSocketStream(farEnd) { ReadTimeout = (int)Wait.TotalMilliseconds });
            try
            {
                tls.AuthenticateAsServer(controller.ServerOptions(_ => { }));
                // A controller speaks first: its HELLO.
                tls.Write(SessionHarness.Hello13);
            }
            catch
            {
                // As a controller does, it hangs up on a switch it refused.
                farEnd.Shutdown();
                throw;
            }
            return tls;
        }, TaskCreationOptions.LongRunning);
        return (network, task);
    }

    [Fact]
    public async Task The_plain_end_carries_the_controllers_bytes_both_ways_and_its_close_with_the_reason()
    {
        var (network, controllerTask) = Controller(_files.Peer("controller"), out var far);
        using var farSocket = far;
        using var pump = OpenFlowTlsPump.Start(network, _switch, server: false, TestActor, "ssl:test");

        var established = ExpectMsg<TlsEstablished>(Wait);
        Assert.Same(pump, established.Pump);
        Assert.Equal("CN=controller", established.PeerSubject);
        using var controller = await controllerTask.WaitAsync(Wait);
        Assert.Equal("CN=switch", controller.RemoteCertificate!.Subject);
        using var plainSocket = established.Socket;
        var plain = new NativeSocketStream(plainSocket) { ReadTimeout = (int)Wait.TotalMilliseconds };

        Assert.Equal(SessionHarness.Hello13, ReadBytes(plain, SessionHarness.Hello13.Length));
        plain.Write("from the switch"u8);
        Assert.Equal("from the switch", ReadText(controller, 15));
        controller.Write("from the controller"u8);
        Assert.Equal("from the controller", ReadText(plain, 19));

        controller.Dispose();
        far.Shutdown();
        Assert.Equal(0, plain.Read(new byte[16]));
        Assert.Equal("closed by the controller", pump.EndReason);
    }

    [Fact]
    public void A_controller_whose_certificate_another_ca_signed_fails_the_handshake()
    {
        var (network, controllerTask) = Controller(_files.Peer("stranger", caFile: "cacert.pem"), out var far);
        using var farSocket = far;
        using var pump = OpenFlowTlsPump.Start(network, _switch, server: false, TestActor, "ssl:test");

        var failed = ExpectMsg<TlsHandshakeFailed>(Wait);
        Assert.Same(pump, failed.Pump);
        Assert.StartsWith("the peer's certificate does not chain to the CA certificate", failed.Reason);
    }

    [Fact]
    public async Task A_switch_whose_certificate_the_controller_does_not_trust_fails_the_handshake_too()
    {
        // The controller trusts only the other CA: it refuses the switch's certificate, which under TLS 1.3 the switch hears
        // after its own handshake is done, in place of the controller's first record.
        var (network, controllerTask) = Controller(_files.Peer("controller", caFile: "other-cacert.pem"), out var far);
        using var farSocket = far;
        using var pump = OpenFlowTlsPump.Start(network, _switch, server: false, TestActor, "ssl:test");

        Assert.NotEmpty(ExpectMsg<TlsHandshakeFailed>(Wait).Reason);
        await Assert.ThrowsAnyAsync<Exception>(() => controllerTask.WaitAsync(Wait));
    }

    [Fact]
    public void A_controller_that_speaks_plain_openflow_fails_the_handshake()
    {
        var (network, far) = NativeSocket.Pair("test tcp");
        using var farSocket = far;
        using var pump = OpenFlowTlsPump.Start(network, _switch, server: false, TestActor, "ssl:test");
        // What a plain-TCP controller sends first: an OpenFlow 1.3 HELLO.
        new NativeSocketStream(far).Write(SessionHarness.Hello13);

        Assert.NotEmpty(ExpectMsg<TlsHandshakeFailed>(Wait).Reason);
    }

    private static string ReadText(Stream stream, int length) => Encoding.ASCII.GetString(ReadBytes(stream, length));

    private static byte[] ReadBytes(Stream stream, int length)
    {
        var buffer = new byte[length];
        stream.ReadExactly(buffer);
        return buffer;
    }

    void IDisposable.Dispose()
    {
        _files.Dispose();
        base.Dispose();
    }
}
