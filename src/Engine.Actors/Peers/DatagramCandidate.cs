using Engine.Actors.Peers.Framing;

namespace Engine.Actors.Peers;

/// <summary>
/// A handshake in progress on a keyed datagram link from a source that is not (yet) its peer, or
/// a new handshake from the peer's own address while its session is up. It runs in a session of
/// its own, so the working one keeps its address and its frames until the newcomer's AUTH checks
/// out; only then does it take over (<see cref="DatagramLink"/>).
/// </summary>
internal sealed class DatagramCandidate(EngineSession session, ReadOnlySpan<byte> source, long now)
{
    public EngineSession Session { get; } = session;

    public DatagramAddress Address { get; } = Create(source, now);

    public long Started { get; } = now;

    private static DatagramAddress Create(ReadOnlySpan<byte> source, long now)
    {
        var address = new DatagramAddress();
        address.Set(source, now);
        return address;
    }
}
