namespace Engine.Actors.Rules;

/// <summary>
/// The fields of one frame that rules match on, read once per frame (<see cref="FlowKeyReader"/>).
/// A field the frame does not have is 0: an ARP frame has no IP protocol, addresses or TTL. The
/// same struct, filled with bit masks, is a rule's <see cref="FlowMatch.Mask"/>, so masking a key is
/// one AND per field and a masked key can be looked up in a hash table.
/// </summary>
/// <param name="InPort">The port the frame came in on.</param>
/// <param name="EtherType">The Ethernet type behind any VLAN tags; on a tun, that of the IP version; <see cref="FlowKey.Llc"/> for an 802.3 frame with a length field.</param>
/// <param name="IpProtocol">The transport protocol: IPv4's Protocol, IPv6's Next Header after the extension headers.</param>
/// <param name="Ttl">IPv4's TTL or IPv6's hop limit.</param>
/// <param name="Source">The IP source address; an IPv4 address in the low 32 bits.</param>
/// <param name="Destination">The IP destination address; an IPv4 address in the low 32 bits.</param>
public readonly record struct FlowKey(int InPort, ushort EtherType, byte IpProtocol, byte Ttl, UInt128 Source, UInt128 Destination)
{
    /// <summary>
    /// The EtherType a frame with an 802.3 length field (LLC: IS-IS, STP) is matched as; OpenFlow
    /// uses the same value (OFP_DL_TYPE_NOT_ETH_TYPE).
    /// </summary>
    public const ushort Llc = 0x05FF;

    // Written out: the generated members go through EqualityComparer<T>.Default field by field,
    // which made a hash lookup cost about 25 ns a group, most of a frame's forwarding.
    public bool Equals(FlowKey other) =>
        InPort == other.InPort && EtherType == other.EtherType && IpProtocol == other.IpProtocol && Ttl == other.Ttl
        && Source == other.Source && Destination == other.Destination;

    public override int GetHashCode()
    {
        var hash = (ulong)(uint)InPort | (ulong)EtherType << 32 | (ulong)IpProtocol << 48 | (ulong)Ttl << 56;
        hash ^= (ulong)Source * 0x9E37_79B9_7F4A_7C15 ^ (ulong)(Source >> 64);
        hash ^= (ulong)Destination * 0xC2B2_AE3D_27D4_EB4F ^ (ulong)(Destination >> 64);
        hash *= 0x9E37_79B9_7F4A_7C15;
        return (int)(hash >> 32) ^ (int)hash;
    }

    public FlowKey Masked(in FlowKey mask) => new(
        InPort & mask.InPort,
        (ushort)(EtherType & mask.EtherType),
        (byte)(IpProtocol & mask.IpProtocol),
        (byte)(Ttl & mask.Ttl),
        Source & mask.Source,
        Destination & mask.Destination);
}
