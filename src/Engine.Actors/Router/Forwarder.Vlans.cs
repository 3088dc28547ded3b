using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Routing;
using Engine.Actors.Switching;
using Engine.Actors.Wire;

namespace Engine.Actors.Router;

/// <summary>
/// A switched frame leaves each member in the 802.1Q form that member takes: untagged out of an
/// access port or a trunk's native VLAN, tagged with its VLAN out of a trunk. The tag is pushed
/// into the headroom before the frame or pulled off in place: no copy. A frame with offloads (a
/// tap's, so untagged) is finished before a tag goes in, since its layout counts from the IP
/// header behind a 14-byte Ethernet header: a partial checksum is filled, a super-frame is cut
/// into packets that each get the tagged header.
/// </summary>
internal sealed partial class Forwarder
{
    /// <summary>Frame <paramref name="index"/> goes out of <paramref name="egress"/>, tagged as <paramref name="vid"/> says (0: untagged).</summary>
    private bool ForwardInVlan(FrameBatch batch, int index, Port ingress, Port egress, int vid)
    {
        if (vid == SwitchVlans.NotCarried)
            return Dropped(ingress, DropReason.Vlan);
        if (!NeedsRetag(batch.Frame(index), vid))
            return CarryTo(batch, index, ingress, egress, tag: -1);
        ref var offload = ref batch.Offload(index);
        // Only a tap's offload layout is known to sit behind a 14-byte Ethernet header.
        if ((offload.IsGso || offload.NeedsChecksum) && !ingress.IsEthernet)
            return Dropped(ingress, DropReason.Unsupported);
        if (offload.IsGso)
        {
            _wired.Aim(tag: -1, ControllerNote.None);
            _wired.StripEthernet(batch, index, vid);
            return Split(batch, index, offload, egress, ingress, _wired);
        }
        if (offload.NeedsChecksum && !TryFillChecksum(batch, index, ingress))
            return Dropped(ingress, DropReason.Malformed);
        if (!TryRetag(batch, index, vid))
            return Dropped(ingress, DropReason.Unsupported);
        return CarryTo(batch, index, ingress, egress, tag: -1);
    }

    /// <summary>Appends a copy of finished <paramref name="frame"/> to <paramref name="target"/>, tagged as <paramref name="vid"/> says.</summary>
    private static bool TryAppendInVlan(FrameBatch target, ReadOnlySpan<byte> frame, int vid) =>
        target.TryAppendCopy(frame) && TryRetag(target, target.Count - 1, vid);

    /// <summary>What a tag change does to a frame's length: +4 pushed, -4 pulled off, 0.</summary>
    private static int RetagGrowth(ReadOnlySpan<byte> frame, int vid) =>
        (vid != 0 ? VlanTag.Length : 0) - (VlanTag.IsTagged(frame) ? VlanTag.Length : 0);

    private static bool NeedsRetag(ReadOnlySpan<byte> frame, int vid) =>
        VlanTag.IsTagged(frame) ? vid == 0 || VlanTag.Vid(frame) != vid : vid != 0;

    /// <summary>
    /// Gives finished frame <paramref name="index"/> the form <paramref name="vid"/> asks for, in
    /// place; false when a tag cannot be pushed for want of headroom.
    /// </summary>
    private static bool TryRetag(FrameBatch batch, int index, int vid)
    {
        var frame = batch.Frame(index);
        var tagged = VlanTag.IsTagged(frame);
        if (tagged && vid != 0)
        {
            VlanTag.SetVid(frame, vid);
            return true;
        }
        if (!tagged && vid == 0)
            return true;
        var offset = batch.Offset(index);
        if (tagged)
        {
            frame[..VlanTag.Offset].CopyTo(frame[VlanTag.Length..]);
            batch.Reframe(index, offset + VlanTag.Length, frame.Length - VlanTag.Length);
            return true;
        }
        if (offset < VlanTag.Length)
            return false;
        batch.Reframe(index, offset - VlanTag.Length, frame.Length + VlanTag.Length);
        var pushed = batch.Frame(index);
        pushed.Slice(VlanTag.Length, VlanTag.Offset).CopyTo(pushed);
        VlanTag.Write(pushed, vid);
        return true;
    }
}
