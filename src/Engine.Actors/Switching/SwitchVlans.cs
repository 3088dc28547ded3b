using Engine.Actors.Wire;

namespace Engine.Actors.Switching;

/// <summary>
/// Each member's 802.1Q role in one switch. An access port carries one VLAN, untagged; a trunk
/// carries its allowed VLANs tagged and, when it has one, its native VLAN untagged. A frame
/// belongs to one VLAN from the moment it comes in: learning, flooding and forwarding stay in it.
/// </summary>
public sealed class SwitchVlans
{
    /// <summary>The VLAN of a port given none: always known.</summary>
    public const int DefaultVlan = 1;
    public const int MaxVlan = 4094;

    /// <summary>What <see cref="EgressTag"/> returns for a VLAN the member does not carry.</summary>
    public const int NotCarried = -1;

    private const int WordsPerMember = (MaxVlan + 1 + 63) / 64;

    private readonly int[] _untagged; // an access port's VLAN, a trunk's native VLAN, or 0
    private readonly bool[] _trunk;
    private readonly ulong[] _tagged; // per member, a bit per VLAN a trunk carries tagged

    /// <summary>Every member an access port of <see cref="DefaultVlan"/> until told otherwise.</summary>
    public SwitchVlans(int memberCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(memberCount);
        _untagged = new int[memberCount];
        Array.Fill(_untagged, DefaultVlan);
        _trunk = new bool[memberCount];
        _tagged = new ulong[memberCount * WordsPerMember];
    }

    public void SetAccess(int member, int vlan)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(vlan, DefaultVlan);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(vlan, MaxVlan);
        _untagged[member] = vlan;
        _trunk[member] = false;
        _tagged.AsSpan(member * WordsPerMember, WordsPerMember).Clear();
    }

    /// <param name="native">The VLAN of its untagged frames, or 0: they are refused.</param>
    public void SetTrunk(int member, IEnumerable<int> allowed, int native)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(native);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(native, MaxVlan);
        _untagged[member] = native;
        _trunk[member] = true;
        _tagged.AsSpan(member * WordsPerMember, WordsPerMember).Clear();
        foreach (var vlan in allowed)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(vlan, DefaultVlan);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(vlan, MaxVlan);
            _tagged[member * WordsPerMember + vlan / 64] |= 1UL << (vlan % 64);
        }
    }

    /// <summary>
    /// The VLAN a frame from <paramref name="member"/> belongs to, or 0 when the member refuses it:
    /// a tag on an access port, a VID a trunk does not carry, an untagged frame on a trunk without
    /// a native VLAN. A priority tag (VID 0) counts as untagged. The frame holds a whole Ethernet
    /// header, and a whole tag when <see cref="VlanTag.IsTagged"/>.
    /// </summary>
    public int Ingress(int member, ReadOnlySpan<byte> frame)
    {
        var vid = VlanTag.IsTagged(frame) ? VlanTag.Vid(frame) : 0;
        if (vid == 0)
            return _untagged[member];
        if (!_trunk[member])
            return 0;
        return CarriesTagged(member, vid) || vid == _untagged[member] ? vid : 0;
    }

    /// <returns>
    /// How <paramref name="vlan"/>'s frames leave <paramref name="member"/>: 0 untagged (an access
    /// port, a trunk's native VLAN), the VID to tag them with, or <see cref="NotCarried"/>.
    /// </returns>
    public int EgressTag(int member, int vlan)
    {
        if (vlan == _untagged[member])
            return 0;
        return _trunk[member] && CarriesTagged(member, vlan) ? vlan : NotCarried;
    }

    private bool CarriesTagged(int member, int vlan) =>
        (_tagged[member * WordsPerMember + vlan / 64] & (1UL << (vlan % 64))) != 0;
}
