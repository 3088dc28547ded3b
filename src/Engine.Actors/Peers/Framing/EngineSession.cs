using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;
using Engine.Actors.Topology;

namespace Engine.Actors.Peers.Framing;

/// <summary>
/// One side of the engine link protocol's handshake on one link (docs/protocol.md): our HELLO
/// with a fresh nonce, the peer's HELLO, and, when a key is set, an HMAC challenge–response
/// each way. Decides what each control message means; the link moves the bytes. Owned by one
/// link, on the reactor thread.
/// </summary>
internal sealed class EngineSession
{
    public const byte Version = 1;
    public const int NonceSize = 16;
    public const int MaxNameBytes = EngineSettings.MaxNodeNameBytes;
    private const int AuthSize = 32;
    private const byte RequiresAuth = 1;
    private const byte TakesOffloads = 2;
    private const byte ReservedFlags = unchecked((byte)~(RequiresAuth | TakesOffloads));
    private static readonly byte[] AuthLabel = "engine-auth-v1"u8.ToArray();

    private readonly byte[] _localName;
    private readonly byte[]? _key;
    private readonly bool _answerNewHellos;
    private readonly bool _offersOffloads;
    private readonly byte[] _localNonce = new byte[NonceSize];
    private readonly byte[] _peerNonce = new byte[NonceSize];
    private byte[] _peerName = [];
    private bool _peerHelloSeen;
    private bool _peerAuthenticated;

    /// <param name="answerNewHellos">Datagram links: a HELLO may be lost, or come from a peer that
    /// restarted, so one with a nonce not seen yet is answered with ours.</param>
    /// <param name="offersOffloads">Tell the peer this side takes DATA with an offload header (super-frames, partial checksums).</param>
    public EngineSession(string localName, string? key, bool answerNewHellos, bool offersOffloads = false)
    {
        _offersOffloads = offersOffloads;
        _localName = Encoding.UTF8.GetBytes(localName);
        if (_localName.Length is 0 or > MaxNameBytes) throw new ArgumentException($"node name must be 1..{MaxNameBytes} bytes", nameof(localName));
        _key = key is null ? null : Encoding.UTF8.GetBytes(key);
        _answerNewHellos = answerNewHellos;
        RandomNumberGenerator.Fill(_localNonce);
    }

    /// <summary>The peer is known and, when a key is set, proved it holds it: frames may flow both ways.</summary>
    public bool IsUp => _peerHelloSeen && (_key is null || _peerAuthenticated);

    public string PeerName => Encoding.UTF8.GetString(_peerName);

    /// <summary>The HELLO <paramref name="body"/> repeats the nonce of the peer's HELLO this session took: a resend, not a new handshake.</summary>
    public bool IsRepeatedHello(ReadOnlySpan<byte> body) =>
        _peerHelloSeen && body.Length >= 2 + NonceSize && body.Slice(2, NonceSize).SequenceEqual(_peerNonce);

    /// <summary>The peer's HELLO said it takes DATA with an offload header: super-frames may go to it whole.</summary>
    public bool PeerTakesOffloads { get; private set; }

    /// <summary>Writes our HELLO into <paramref name="destination"/>; returns its length.</summary>
    public int WriteHello(Span<byte> destination)
    {
        var body = 2 + NonceSize + _localName.Length;
        EngineHeader.Write(destination, EngineMessageType.Hello, 0, body);
        destination[EngineHeader.Size] = Version;
        destination[EngineHeader.Size + 1] = (byte)((_key is null ? 0 : RequiresAuth) | (_offersOffloads ? TakesOffloads : 0));
        _localNonce.CopyTo(destination[(EngineHeader.Size + 2)..]);
        _localName.CopyTo(destination[(EngineHeader.Size + 2 + NonceSize)..]);
        return EngineHeader.Size + body;
    }

    /// <summary>
    /// Handles one control message (anything but DATA). Replies, if any, are written to
    /// <paramref name="reply"/> and their length returned in <paramref name="replyLength"/>.
    /// </summary>
    public SessionStep OnControl(EngineHeader header, ReadOnlySpan<byte> body, Span<byte> reply, out int replyLength)
    {
        replyLength = 0;
        switch (header.Type)
        {
            case EngineMessageType.Hello:
                return OnHello(body, reply, out replyLength);
            case EngineMessageType.Auth:
                return OnAuth(body);
            case EngineMessageType.Goodbye:
                return SessionStep.Close("peer said goodbye: " + (body.IsEmpty ? "no reason given" : Printable(body)));
            default:
                // KEEPALIVE and PORT need nothing from the session; unknown types are skipped.
                return SessionStep.Continue;
        }
    }

    private SessionStep OnHello(ReadOnlySpan<byte> body, Span<byte> reply, out int replyLength)
    {
        replyLength = 0;
        if (body.Length < 2 + NonceSize + 1 || body.Length > 2 + NonceSize + MaxNameBytes)
            return SessionStep.Refuse($"malformed HELLO ({body.Length} bytes)");
        if (body[0] != Version)
            return SessionStep.Refuse($"unsupported protocol version {body[0]}");
        if ((body[1] & ReservedFlags) != 0)
            return SessionStep.Refuse($"reserved HELLO flags 0x{body[1] & ReservedFlags:x2}");
        var nonce = body.Slice(2, NonceSize);
        var name = body[(2 + NonceSize)..];
        if (!Utf8.IsValid(name))
            return SessionStep.Refuse("HELLO name is not UTF-8");
        if (name.SequenceEqual(_localName))
            return SessionStep.Refuse("same name");
        if ((body[1] & RequiresAuth) != 0 && _key is null)
            return SessionStep.Refuse("authentication required");

        var isNew = !_peerHelloSeen || !nonce.SequenceEqual(_peerNonce);
        if (!isNew)
        {
            // A repeated HELLO on a datagram link: our AUTH may have been lost; it is safe to say again.
            if (_answerNewHellos && _key is not null) replyLength = WriteAuth(reply);
            return SessionStep.Continue;
        }
        var wasUp = IsUp;
        nonce.CopyTo(_peerNonce);
        _peerName = name.ToArray();
        PeerTakesOffloads = (body[1] & TakesOffloads) != 0;
        _peerHelloSeen = true;
        _peerAuthenticated = false;

        if (_answerNewHellos) replyLength = WriteHello(reply);
        if (_key is not null) replyLength += WriteAuth(reply[replyLength..]);
        if (IsUp) return SessionStep.BecameUp;
        return wasUp ? SessionStep.WentDown : SessionStep.Continue;
    }

    private SessionStep OnAuth(ReadOnlySpan<byte> body)
    {
        if (_key is null || _peerAuthenticated) return SessionStep.Continue;
        if (!_peerHelloSeen) return SessionStep.Refuse("AUTH before HELLO");
        Span<byte> expected = stackalloc byte[AuthSize];
        Prove(_localNonce, _peerNonce, _peerName, expected);
        if (body.Length != AuthSize || !CryptographicOperations.FixedTimeEquals(body, expected))
            return SessionStep.Refuse("authentication failed");
        _peerAuthenticated = true;
        return SessionStep.BecameUp;
    }

    // Our proof answers the peer's challenge: its nonce first, ours next, then our name.
    private int WriteAuth(Span<byte> destination)
    {
        EngineHeader.Write(destination, EngineMessageType.Auth, 0, AuthSize);
        Prove(_peerNonce, _localNonce, _localName, destination.Slice(EngineHeader.Size, AuthSize));
        return EngineHeader.Size + AuthSize;
    }

    private void Prove(ReadOnlySpan<byte> verifierNonce, ReadOnlySpan<byte> proverNonce, ReadOnlySpan<byte> proverName, Span<byte> destination)
    {
        Span<byte> message = stackalloc byte[AuthLabel.Length + 2 * NonceSize + MaxNameBytes];
        AuthLabel.CopyTo(message);
        verifierNonce.CopyTo(message[AuthLabel.Length..]);
        proverNonce.CopyTo(message[(AuthLabel.Length + NonceSize)..]);
        proverName.CopyTo(message[(AuthLabel.Length + 2 * NonceSize)..]);
        HMACSHA256.HashData(_key!, message[..(AuthLabel.Length + 2 * NonceSize + proverName.Length)], destination);
    }

    /// <summary>PORT flag: the port's frames carry an Ethernet header (a tap, an Ethernet link).</summary>
    public const byte EthernetPortFlag = 1;

    /// <summary>Writes a PORT message naming port <paramref name="port"/>; returns its length.</summary>
    public static int WritePort(Span<byte> destination, int port, string name, bool ethernet = false)
    {
        var written = Encoding.UTF8.GetBytes(name, destination[EngineHeader.Size..]);
        EngineHeader.Write(destination, EngineMessageType.Port, (ushort)port, written, ethernet ? EthernetPortFlag : (byte)0);
        return EngineHeader.Size + written;
    }

    public static int WriteKeepalive(Span<byte> destination)
    {
        EngineHeader.Write(destination, EngineMessageType.Keepalive, 0, 0);
        return EngineHeader.Size;
    }

    public static int WriteGoodbye(Span<byte> destination, string reason)
    {
        var written = Encoding.UTF8.GetBytes(reason.AsSpan(0, Math.Min(reason.Length, 200)), destination[EngineHeader.Size..]);
        EngineHeader.Write(destination, EngineMessageType.Goodbye, 0, written);
        return EngineHeader.Size + written;
    }

    /// <summary>A peer-supplied reason, safe to log: printable ASCII, at most 200 characters.</summary>
    private static string Printable(ReadOnlySpan<byte> text)
    {
        var chars = new char[Math.Min(text.Length, 200)];
        for (var i = 0; i < chars.Length; i++) chars[i] = text[i] is >= 0x20 and < 0x7F ? (char)text[i] : '?';
        return new string(chars);
    }
}

/// <summary>What a control message did to the session.</summary>
internal readonly record struct SessionStep(SessionStepKind Kind, string? Reason)
{
    public static SessionStep Continue => new(SessionStepKind.Continue, null);
    public static SessionStep BecameUp => new(SessionStepKind.BecameUp, null);
    public static SessionStep WentDown => new(SessionStepKind.WentDown, null);

    /// <summary>The peer broke the protocol or failed authentication: tell it why, then close.</summary>
    public static SessionStep Refuse(string reason) => new(SessionStepKind.Refuse, reason);

    /// <summary>The peer is leaving: close without a reply.</summary>
    public static SessionStep Close(string reason) => new(SessionStepKind.Close, reason);
}

internal enum SessionStepKind
{
    Continue,
    BecameUp,
    WentDown,
    Refuse,
    Close,
}
