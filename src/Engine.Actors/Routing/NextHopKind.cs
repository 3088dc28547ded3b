namespace Engine.Actors.Routing;

/// <summary>
/// What a route does with a packet: forward it, or refuse it as the kernel's route types of the
/// same names do (zebra sends them over FPM for `ip route ... blackhole|reject`).
/// </summary>
public enum NextHopKind : byte
{
    /// <summary>Out of the next hop's port.</summary>
    Forward,

    /// <summary>Dropped without a word (counted <c>blackhole</c>).</summary>
    Blackhole,

    /// <summary>Dropped with an ICMP destination unreachable, net (no route) back to the sender (counted <c>no-route</c>).</summary>
    Unreachable,

    /// <summary>Dropped with an ICMP administratively prohibited back to the sender (counted <c>prohibited</c>).</summary>
    Prohibit,

    /// <summary>One of several next hops, by the flow's hash: <see cref="NextHop.Port"/> is the index of the snapshot's <see cref="EcmpGroup"/>.</summary>
    Multipath,
}
