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
/// <remarks>
/// OpenFlow's fields beyond these (<see cref="EthDestination"/> to <see cref="L4Destination"/>)
/// fold in as Open vSwitch folds them: ARP's opcode is the IP protocol and its sender and target
/// addresses the source and destination, ICMP's type and code the L4 ports.
/// </remarks>
public readonly record struct FlowKey(int InPort, ushort EtherType, byte IpProtocol, byte Ttl, UInt128 Source, UInt128 Destination)
{
    // OpenFlow's fields, packed so the key stays small: a rule-table lookup copies, masks,
    // hashes and compares it whole, and every byte more is paid by every rule table.
    private readonly ulong _ethDestination, _ethSource;
    // VlanTci in bits 48-63, Dscp in 32-39, L4Source in 16-31, L4Destination in 0-15.
    private readonly ulong _transport;

    /// <summary>The Ethernet destination, first octet in bits 40-47; 0 on a link without Ethernet.</summary>
    public ulong EthDestination { get => _ethDestination; init => _ethDestination = value; }

    public ulong EthSource { get => _ethSource; init => _ethSource = value; }

    /// <summary>The outer VLAN tag's TCI with 0x1000 set when there is a tag (OpenFlow's OFPVID_PRESENT): PCP in bits 13-15, the VID in 0-11; 0 when untagged.</summary>
    public ushort VlanTci { get => (ushort)(_transport >> 48); init => _transport = _transport & ~(0xffffUL << 48) | (ulong)value << 48; }

    /// <summary>IP's DSCP (the top six bits of the traffic class).</summary>
    public byte Dscp { get => (byte)(_transport >> 32); init => _transport = _transport & ~(0xffUL << 32) | (ulong)value << 32; }

    /// <summary>TCP's or UDP's source port; ICMP's type.</summary>
    public ushort L4Source { get => (ushort)(_transport >> 16); init => _transport = _transport & ~(0xffffUL << 16) | (ulong)value << 16; }

    /// <summary>TCP's or UDP's destination port; ICMP's code.</summary>
    public ushort L4Destination { get => (ushort)_transport; init => _transport = _transport & ~0xffffUL | value; }

    private FlowKey(int inPort, ushort etherType, byte ipProtocol, byte ttl, UInt128 source, UInt128 destination, ulong ethDestination, ulong ethSource, ulong transport)
        : this(inPort, etherType, ipProtocol, ttl, source, destination)
    {
        _ethDestination = ethDestination;
        _ethSource = ethSource;
        _transport = transport;
    }

    /// <summary>
    /// The EtherType a frame with an 802.3 length field (LLC: IS-IS, STP) is matched as; OpenFlow
    /// uses the same value (OFP_DL_TYPE_NOT_ETH_TYPE).
    /// </summary>
    public const ushort Llc = 0x05FF;

    // Written out: the generated members go through EqualityComparer<T>.Default field by field,
    // which made a hash lookup cost about 25 ns a group, most of a frame's forwarding.
    public bool Equals(FlowKey other) =>
        InPort == other.InPort && EtherType == other.EtherType && IpProtocol == other.IpProtocol && Ttl == other.Ttl
        && Source == other.Source && Destination == other.Destination
        && _ethDestination == other._ethDestination && _ethSource == other._ethSource && _transport == other._transport;

    public override int GetHashCode()
    {
        var hash = (ulong)(uint)InPort | (ulong)EtherType << 32 | (ulong)IpProtocol << 48 | (ulong)Ttl << 56;
        hash ^= (ulong)Source * 0x9E37_79B9_7F4A_7C15 ^ (ulong)(Source >> 64);
        hash ^= (ulong)Destination * 0xC2B2_AE3D_27D4_EB4F ^ (ulong)(Destination >> 64);
        hash ^= (_ethDestination ^ _ethSource * 0x9E37_79B9_7F4A_7C15) + _transport;
        hash *= 0x9E37_79B9_7F4A_7C15;
        return (int)(hash >> 32) ^ (int)hash;
    }

    public FlowKey Masked(in FlowKey mask) => new(
        InPort & mask.InPort,
        (ushort)(EtherType & mask.EtherType),
        (byte)(IpProtocol & mask.IpProtocol),
        (byte)(Ttl & mask.Ttl),
        Source & mask.Source,
        Destination & mask.Destination,
        _ethDestination & mask._ethDestination,
        _ethSource & mask._ethSource,
        _transport & mask._transport);

    /// <summary>Whether this key, under <paramref name="mask"/>, is <paramref name="value"/>: <see cref="Masked"/> and compare, without building the masked copy.</summary>
    public bool MatchesUnder(in FlowKey mask, in FlowKey value) =>
        (InPort & mask.InPort) == value.InPort
        && (EtherType & mask.EtherType) == value.EtherType
        && (IpProtocol & mask.IpProtocol) == value.IpProtocol
        && (Ttl & mask.Ttl) == value.Ttl
        && (Destination & mask.Destination) == value.Destination
        && (Source & mask.Source) == value.Source
        && (_ethDestination & mask._ethDestination) == value._ethDestination
        && (_ethSource & mask._ethSource) == value._ethSource
        && (_transport & mask._transport) == value._transport;
}
