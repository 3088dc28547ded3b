using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace Engine.Tests.Peers;

/// <summary>
/// The far end of an engine-framing link, written from docs/protocol.md independently of the
/// engine's own codec, so the tests check the engine against the document.
/// </summary>
internal sealed class EngineWire(Socket socket, string name, string? key)
{
    public readonly byte[] Nonce = RandomNumberGenerator.GetBytes(16);
    public byte[] PeerNonce = [];
    public string PeerName = "";

    public void Send(byte type, ushort port, ReadOnlySpan<byte> body, byte flags = 0)
    {
        var message = new byte[8 + body.Length];
        message[0] = type;
        message[1] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), port);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(4), (uint)body.Length);
        body.CopyTo(message.AsSpan(8));
        socket.Send(message);
    }

    public void SendHello(byte version = 1, byte flags = 0) =>
        Send(1, 0, [version, (byte)((key is null ? 0 : 1) | flags), .. Nonce, .. Encoding.UTF8.GetBytes(name)]);

    public void SendAuth(string? withKey = null) =>
        Send(2, 0, Proof(withKey ?? key!, PeerNonce, Nonce, Encoding.UTF8.GetBytes(name)));

    public static byte[] Proof(string key, byte[] verifierNonce, byte[] proverNonce, byte[] proverName) =>
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), (byte[])[.. "engine-auth-v1"u8, .. verifierNonce, .. proverNonce, .. proverName]);

    public (byte Type, ushort Port, byte[] Body) Receive() => Receive(out _);

    public (byte Type, ushort Port, byte[] Body) Receive(out byte flags)
    {
        var header = ReadExactly(8);
        flags = header[1];
        var length = (int)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
        return (header[0], BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2)), ReadExactly(length));
    }

    /// <summary>Reads the engine's HELLO; returns its flags.</summary>
    public byte ExpectHello()
    {
        var (type, _, body) = Receive();
        Assert.Equal(1, type);
        Assert.Equal(1, body[0]);
        PeerNonce = body[2..18];
        PeerName = Encoding.UTF8.GetString(body[18..]);
        return body[1];
    }

    public void ExpectAuth()
    {
        var (type, _, body) = Receive();
        Assert.Equal(2, type);
        Assert.Equal(Proof(key!, Nonce, PeerNonce, Encoding.UTF8.GetBytes(PeerName)), body);
    }

    /// <summary>The next message of <paramref name="type"/>, skipping keepalives and port announcements.</summary>
    public (ushort Port, byte[] Body) Expect(byte type) => Expect(type, out _);

    public (ushort Port, byte[] Body) Expect(byte type, out byte flags)
    {
        while (true)
        {
            var (got, port, body) = Receive(out flags);
            if (got == type) return (port, body);
            Assert.True(got is 3 or 5, $"unexpected message type {got}");
        }
    }

    private byte[] ReadExactly(int length)
    {
        var buffer = new byte[length];
        var read = 0;
        while (read < length)
        {
            var n = socket.Receive(buffer, read, length - read, SocketFlags.None);
            if (n == 0) throw new SocketException((int)SocketError.ConnectionReset);
            read += n;
        }
        return buffer;
    }
}
