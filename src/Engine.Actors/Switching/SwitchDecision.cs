using Engine.Actors.Wire;

namespace Engine.Actors.Switching;

/// <summary>Where a switched frame goes.</summary>
public enum SwitchAction
{
    /// <summary>Out of one member: its destination was learned there.</summary>
    Forward,
    /// <summary>Out of every member but the ingress: broadcast, multicast or unknown unicast.</summary>
    Flood,
    /// <summary>Its destination was learned on the ingress itself: the frame is already on that segment.</summary>
    Filter,
    /// <summary>Broadcast or multicast beyond the ingress's storm-control rate: dropped, counted.</summary>
    Storm,
    /// <summary>Shorter than an Ethernet header: dropped, counted.</summary>
    Malformed,
}

/// <summary>
/// The switch stage's decision for one frame from one member: learn its source, then forward,
/// flood or drop it. 802.1Q tags are not read: a tagged frame is switched on its addresses alone.
/// </summary>
public static class SwitchDecision
{
    private const int EthernetHeaderLength = 14;

    /// <param name="egress">The member to forward to, for <see cref="SwitchAction.Forward"/>; -1 otherwise.</param>
    /// <param name="learned">What learning the source did; <see cref="LearnOutcome.LimitReached"/> is for the caller to count.</param>
    public static SwitchAction Decide(ReadOnlySpan<byte> frame, int ingress, long now, MacTable table, StormControl storm, out int egress, out LearnOutcome learned)
    {
        egress = -1;
        learned = LearnOutcome.Refreshed;
        if (frame.Length < EthernetHeaderLength)
            return SwitchAction.Malformed;
        var destination = MacAddress.FromSpan(frame);
        var source = MacAddress.FromSpan(frame[MacAddress.Length..]);
        // A group address as source is invalid on Ethernet: such a frame is switched but not learned.
        if (!source.IsMulticast)
            learned = table.Learn(source.Value, ingress, now);
        if (destination.IsMulticast)
            return storm.TryAdmit(ingress, now) ? SwitchAction.Flood : SwitchAction.Storm;
        var known = table.Lookup(destination.Value, now);
        if (known < 0)
            return SwitchAction.Flood;
        if (known == ingress)
            return SwitchAction.Filter;
        egress = known;
        return SwitchAction.Forward;
    }
}
