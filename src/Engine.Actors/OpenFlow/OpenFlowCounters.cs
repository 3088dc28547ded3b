namespace Engine.Actors.OpenFlow;

/// <summary>What the switch's channels carried and refused, for their log lines and the tests. Any thread may read.</summary>
public sealed class OpenFlowCounters
{
    private long _received, _errorsSent, _lyingLengths, _connections, _packetOutTurnsCut, _tlsHandshakesFailed, _packetInsSent, _packetInsDropped;

    public long Received => Interlocked.Read(ref _received);

    /// <summary>ERRORs sent: messages the switch could not take.</summary>
    public long ErrorsSent => Interlocked.Read(ref _errorsSent);

    /// <summary>Connections closed because a header's length was shorter than the header.</summary>
    public long LyingLengths => Interlocked.Read(ref _lyingLengths);

    /// <summary>Connections that reached a controller.</summary>
    public long Connections => Interlocked.Read(ref _connections);

    /// <summary>Turns of a connection that reached its bound of PACKET_OUTs and left the rest for a later turn.</summary>
    public long PacketOutTurnsCut => Interlocked.Read(ref _packetOutTurnsCut);

    /// <summary>PACKET_INs queued for a controller.</summary>
    public long PacketInsSent => Interlocked.Read(ref _packetInsSent);

    /// <summary>PACKET_INs dropped because their connection already had its PACKET_IN budget of bytes unsent (the controller reads too slowly).</summary>
    public long PacketInsDropped => Interlocked.Read(ref _packetInsDropped);

    /// <summary>TLS handshakes that failed: a certificate the other side or the engine refused, a peer that does not speak TLS, a timeout.</summary>
    public long TlsHandshakesFailed => Interlocked.Read(ref _tlsHandshakesFailed);

    public void AddTlsHandshakeFailed() => Interlocked.Increment(ref _tlsHandshakesFailed);
    public void AddPacketInSent() => Interlocked.Increment(ref _packetInsSent);
    public void AddPacketInDropped() => Interlocked.Increment(ref _packetInsDropped);
    public void AddPacketOutTurnCut() => Interlocked.Increment(ref _packetOutTurnsCut);
    public void AddReceived() => Interlocked.Increment(ref _received);
    public void AddErrorsSent(long count) => Interlocked.Add(ref _errorsSent, count);
    public void AddLyingLength() => Interlocked.Increment(ref _lyingLengths);
    public void AddConnection() => Interlocked.Increment(ref _connections);
}
