namespace Engine.Actors.Control;

/// <summary>Asks a port's actor (a device or a peer) for its <see cref="PortState"/>.</summary>
public sealed class GetPortState
{
    public static readonly GetPortState Instance = new();
}

/// <summary>
/// A port's state as its own actor knows it. A device is "up" while its fd is open and "down"
/// while it waits to reopen; a peer is "up" when its link is, else "listening", "connecting",
/// "handshake" (connected, not yet authenticated) or "down".
/// </summary>
/// <param name="Remote">A peer's far end: the address it is connected to, or the one it dials.</param>
/// <param name="LastHeard">How long since the peer's link last received anything; null without a link.</param>
public sealed record PortState(string State, string? Remote = null, TimeSpan? LastHeard = null);
