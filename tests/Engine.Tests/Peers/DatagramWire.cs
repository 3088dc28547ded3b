using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace Engine.Tests.Peers;

/// <summary>The far end of an engine-framing UDP link (docs/protocol.md), one message per datagram, on a connected socket.</summary>
internal sealed class DatagramWire(Socket socket, string name, string? key)
{
    private readonly byte[] _nonce = RandomNumberGenerator.GetBytes(16);
    private byte[] _peerNonce = [];

    public void Send(byte type, ushort port, ReadOnlySpan<byte> body)
    {
        var message = new byte[8 + body.Length];
        message[0] = type;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), port);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(4), (uint)body.Length);
        body.CopyTo(message.AsSpan(8));
        socket.Send(message);
    }

    public void SendHello() => Send(1, 0, [1, (byte)(key is null ? 0 : 1), .. _nonce, .. Encoding.UTF8.GetBytes(name)]);

    public void SendAuth() => Send(2, 0, EngineWire.Proof(key!, _peerNonce, _nonce, Encoding.UTF8.GetBytes(name)));

    public void ExpectHello()
    {
        var (_, body) = Expect(1);
        _peerNonce = body[2..18];
    }

    /// <summary>After our HELLO the engine answers with its HELLO again and its AUTH; the AUTH is what matters.</summary>
    public void ExpectHelloOrAuth() => Expect(2);

    /// <summary>
    /// The first message of <paramref name="type"/> within <paramref name="within"/> (5 s), others
    /// passed over. The deadline is the whole wait's: a peer that keeps sending other messages
    /// (keepalives) must fail the expectation, not hold it forever.
    /// </summary>
    public (ushort Port, byte[] Body) Expect(byte type, TimeSpan? within = null)
    {
        var buffer = new byte[70000];
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(5));
        var passedOver = new List<byte>();
        var timeout = socket.ReceiveTimeout;
        try
        {
            while (true)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero) Assert.Fail($"no message of type {type}; passed over [{string.Join(", ", passedOver)}]");
                socket.ReceiveTimeout = Math.Max(1, (int)left.TotalMilliseconds);
                var n = socket.Receive(buffer);
                Assert.True(n >= 8);
                var length = (int)BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(4));
                Assert.Equal(n - 8, length);
                if (buffer[0] == type) return (BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(2)), buffer[8..n]);
                passedOver.Add(buffer[0]);
            }
        }
        finally
        {
            socket.ReceiveTimeout = timeout;
        }
    }
}
