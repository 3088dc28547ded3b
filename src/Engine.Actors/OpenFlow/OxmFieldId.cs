namespace Engine.Actors.OpenFlow;

/// <summary>The OpenFlow basic match fields the engine matches on (oxm_ofb_match_fields, spec section 7.2.3.7).</summary>
public enum OxmFieldId : byte
{
    InPort = 0,
    EthDst = 3,
    EthSrc = 4,
    EthType = 5,
    VlanVid = 6,
    VlanPcp = 7,
    IpDscp = 8,
    IpProto = 10,
    Ipv4Src = 11,
    Ipv4Dst = 12,
    TcpSrc = 13,
    TcpDst = 14,
    UdpSrc = 15,
    UdpDst = 16,
    Icmpv4Type = 19,
    Icmpv4Code = 20,
    ArpOp = 21,
    ArpSpa = 22,
    ArpTpa = 23,
    Ipv6Src = 26,
    Ipv6Dst = 27,
    Icmpv6Type = 29,
    Icmpv6Code = 30,
}

/// <summary>Each field's payload size and whether it takes a mask; a field not listed is refused with BAD_FIELD.</summary>
public static class OxmFields
{
    public const ushort BasicClass = 0x8000;

    public static bool TryDescribe(byte field, out int size, out bool maskable)
    {
        (size, maskable) = (OxmFieldId)field switch
        {
            OxmFieldId.InPort => (4, false),
            OxmFieldId.EthDst or OxmFieldId.EthSrc => (6, true),
            OxmFieldId.EthType => (2, false),
            OxmFieldId.VlanVid => (2, true),
            OxmFieldId.VlanPcp or OxmFieldId.IpDscp or OxmFieldId.IpProto => (1, false),
            OxmFieldId.Ipv4Src or OxmFieldId.Ipv4Dst or OxmFieldId.ArpSpa or OxmFieldId.ArpTpa => (4, true),
            OxmFieldId.TcpSrc or OxmFieldId.TcpDst or OxmFieldId.UdpSrc or OxmFieldId.UdpDst or OxmFieldId.ArpOp => (2, false),
            OxmFieldId.Icmpv4Type or OxmFieldId.Icmpv4Code or OxmFieldId.Icmpv6Type or OxmFieldId.Icmpv6Code => (1, false),
            OxmFieldId.Ipv6Src or OxmFieldId.Ipv6Dst => (16, true),
            _ => (0, false),
        };
        return size > 0;
    }
}
