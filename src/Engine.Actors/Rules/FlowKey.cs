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

    public FlowKey Masked(in FlowKey mask) => new(
        InPort & mask.InPort,
        (ushort)(EtherType & mask.EtherType),
        (byte)(IpProtocol & mask.IpProtocol),
        (byte)(Ttl & mask.Ttl),
        Source & mask.Source,
        Destination & mask.Destination);
}
