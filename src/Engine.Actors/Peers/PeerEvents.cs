namespace Engine.Actors.Peers;

/// <summary>A peer's socket is open: listening, bound (UDP) or dialling. The lab is up once every device and peer is.</summary>
public sealed record PeerStarted(string Name, int Port);

/// <summary>Published on the event stream each time a peer's link comes up, for readiness (`run --wait-peer`).</summary>
public sealed record PeerLinkUp(string Peer);
