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
    /// <summary>Shorter than an Ethernet header (or a tagged one): dropped, counted.</summary>
    Malformed,
    /// <summary>In no VLAN the ingress carries (a tag on an access port, a VID not on a trunk's list): dropped, counted.</summary>
    Vlan,
}

/// <summary>
/// The switch stage's decision for one frame from one member: find its VLAN, learn its source
/// there, then forward, flood or drop it. Everything after the VLAN stays within it.
/// </summary>
public static class SwitchDecision
{
    /// <param name="egress">The member to forward to, for <see cref="SwitchAction.Forward"/>; -1 otherwise.</param>
    /// <param name="learned">What learning the source did; <see cref="LearnOutcome.LimitReached"/> is for the caller to count.</param>
    /// <param name="vlan">The frame's VLAN, for <see cref="SwitchAction.Forward"/> and <see cref="SwitchAction.Flood"/>; 0 when it has none.</param>
    public static SwitchAction Decide(ReadOnlySpan<byte> frame, int ingress, long now, MacTable table, StormControl storm, SwitchVlans vlans,
        out int egress, out LearnOutcome learned, out int vlan)
    {
        egress = -1;
        learned = LearnOutcome.Refreshed;
        vlan = 0;
        if (frame.Length < EthernetFrame.HeaderLength || (VlanTag.IsTagged(frame) && frame.Length < VlanTag.TaggedHeaderLength))
            return SwitchAction.Malformed;
        vlan = vlans.Ingress(ingress, frame);
        if (vlan == 0)
            return SwitchAction.Vlan;
        var destination = MacAddress.FromSpan(frame);
        var source = MacAddress.FromSpan(frame[MacAddress.Length..]);
        // A group address as source is invalid on Ethernet: such a frame is switched but not learned.
        if (!source.IsMulticast)
            learned = table.Learn(vlan, source.Value, ingress, now);
        if (destination.IsMulticast)
            return storm.TryAdmit(ingress, now) ? SwitchAction.Flood : SwitchAction.Storm;
        var known = table.Lookup(vlan, destination.Value, now);
        if (known < 0)
            return SwitchAction.Flood;
        if (known == ingress)
            return SwitchAction.Filter;
        egress = known;
        return SwitchAction.Forward;
    }
}
