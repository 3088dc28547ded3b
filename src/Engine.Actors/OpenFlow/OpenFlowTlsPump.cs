using System.Net.Security;
using System.Security.Authentication;
using Akka.Actor;
using Engine.Native;
using Engine.Native.Sockets;

namespace Engine.Actors.OpenFlow;

/// <summary>
/// TLS for one controller connection, on two threads of its own: never the reactor's, never the
/// thread pool's. The first does the handshake (SslStream over the connected TCP socket), then
/// decrypts what the controller sends into one end of a socket pair; the second encrypts what
/// arrives at that end and sends it. The pair's other end goes to the owner
/// (<see cref="TlsEstablished"/>) as if it were the TCP socket, so the same
/// <see cref="OpenFlowConnection"/> and <see cref="OpenFlowSession"/> speak over it on the
/// reactor, with their limits: a connection that stops reading leaves the pair full, the pump
/// stops decrypting and TCP slows the controller down. A handshake that fails or takes longer
/// than <see cref="HandshakeTimeout"/> (to the controller's first record) is told as <see cref="TlsHandshakeFailed"/>. Either side
/// ending ends the other: the controller's close is read by the connection as a closed socket
/// (with <see cref="EndReason"/> saying why), and a connection that closes its end has the pump
/// close the TLS session.
/// </summary>
internal sealed class OpenFlowTlsPump : IDisposable
{
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);
    private const int BufferSize = 16 * 1024;

    private readonly NativeSocket _network;
    private readonly OpenFlowTlsCredentials _credentials;
    private readonly bool _server;
    private readonly IActorRef _owner;
    private readonly string _name;
    private SslStream? _tls;
    private volatile NativeSocket? _plain;
    private volatile string? _endReason;
    private volatile string? _rejected;
    // Set when the connection closed its end first: the controller's side ending after that is no news.
    private volatile bool _closedByEngine;
    private int _threads = 1;

    private OpenFlowTlsPump(NativeSocket network, OpenFlowTlsCredentials credentials, bool server, IActorRef owner, string name)
    {
        _network = network;
        _credentials = credentials;
        _server = server;
        _owner = owner;
        _name = name;
    }

    /// <summary>Why the controller's side ended, once it has: the connection only sees its socket close.</summary>
    public string? EndReason => _endReason;

    /// <summary>Takes <paramref name="network"/> (connected) and starts the handshake as the client, or as the server for a controller that dialled the engine.</summary>
    public static OpenFlowTlsPump Start(NativeSocket network, OpenFlowTlsCredentials credentials, bool server, IActorRef owner, string name)
    {
        var pump = new OpenFlowTlsPump(network, credentials, server, owner, name);
        StartThread("openflow tls in " + name, pump.HandshakeThenDecrypt);
        return pump;
    }

    private static void StartThread(string name, Action work) => new Thread(() => work()) { IsBackground = true, Name = name }.Start();

    private void HandshakeThenDecrypt()
    {
        var network = new NativeSocketStream(_network) { ReadTimeout = (int)HandshakeTimeout.TotalMilliseconds };
        var buffer = new byte[BufferSize];
        int first;
        NativeSocket plain, connection;
        try
        {
            _tls = new SslStream(network, leaveInnerStreamOpen: true);
            if (_server) _tls.AuthenticateAsServer(_credentials.ServerOptions(why => _rejected = why));
            else _tls.AuthenticateAsClient(_credentials.ClientOptions(why => _rejected = why));
            // Under TLS 1.3 a client's handshake is done before the server has judged its
            // certificate: a refusal comes as an alert instead of the first record. A controller
            // speaks first (its HELLO), so the handshake counts as done once that arrives.
            first = _tls.Read(buffer);
            if (first == 0) throw new IOException("the controller closed the connection right after the handshake");
            network.ReadTimeout = Timeout.Infinite;
            (plain, connection) = NativeSocket.Pair("openflow tls " + _name);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or TimeoutException or NativeException)
        {
            _owner.Tell(new TlsHandshakeFailed(this, _rejected ?? Describe(e)));
            Release();
            return;
        }
        _plain = plain;
        Interlocked.Increment(ref _threads);
        _owner.Tell(new TlsEstablished(this, connection, $"{_tls.SslProtocol}, {_tls.NegotiatedCipherSuite}", _tls.RemoteCertificate?.Subject ?? ""));
        StartThread("openflow tls out " + _name, Encrypt);
        Decrypt(plain, buffer, first);
    }

    /// <summary>The controller's bytes, decrypted, into the pair until either side ends; the first <paramref name="pending"/> are in <paramref name="buffer"/> already.</summary>
    private void Decrypt(NativeSocket plain, byte[] buffer, int pending)
    {
        var output = new NativeSocketStream(plain);
        string reason;
        try
        {
            output.Write(buffer.AsSpan(0, pending));
            while (true)
            {
                var n = _tls!.Read(buffer);
                if (n == 0)
                {
                    reason = "closed by the controller";
                    break;
                }
                output.Write(buffer.AsSpan(0, n));
            }
        }
        catch (Exception e) when (e is IOException or AuthenticationException or ObjectDisposedException)
        {
            reason = "tls: " + Describe(e);
        }
        if (!_closedByEngine) _endReason ??= reason;
        plain.Shutdown();
        Release();
    }

    /// <summary>What the connection writes into the pair, encrypted to the controller, until the connection closes its end.</summary>
    private void Encrypt()
    {
        var input = new NativeSocketStream(_plain!);
        var buffer = new byte[BufferSize];
        try
        {
            while (input.Read(buffer) is var n and > 0) _tls!.Write(buffer, 0, n);
            _closedByEngine = true;
            // The engine ended the connection: say so in TLS (close_notify) before the socket closes.
            _tls!.ShutdownAsync().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or AuthenticationException or ObjectDisposedException or InvalidOperationException)
        {
            _endReason ??= "tls: " + Describe(e);
        }
        _network.Shutdown();
        Release();
    }

    /// <summary>The last thread out closes the sockets.</summary>
    private void Release()
    {
        if (Interlocked.Decrement(ref _threads) > 0) return;
        _tls?.Dispose();
        _plain?.Dispose();
        _network.Dispose();
    }

    /// <summary>Ends the pump: its threads wake, close what they hold and exit.</summary>
    public void Dispose()
    {
        _network.Shutdown();
        _plain?.Shutdown();
    }

    private static string Describe(Exception e) =>
        e.InnerException is { } inner && inner.Message != e.Message ? $"{e.Message} ({inner.Message})" : e.Message;
}

/// <summary>The handshake is done: the owner speaks OpenFlow on <paramref name="Socket"/>, the pair's end, as on a TCP socket.</summary>
internal sealed record TlsEstablished(OpenFlowTlsPump Pump, NativeSocket Socket, string Protocol, string PeerSubject);

internal sealed record TlsHandshakeFailed(OpenFlowTlsPump Pump, string Reason);
