namespace Engine.Actors.Wire;

/// <summary>
/// IANA protocol numbers as carried in the IPv4 Protocol and IPv6 Next Header fields.
/// Unknown values round-trip unchanged (a C# enum holds any byte).
/// </summary>
public enum IpProtocol : byte
{
    HopByHop = 0,
    Icmp = 1,
    Tcp = 6,
    Udp = 17,
    Ipv6Route = 43,
    Ipv6Fragment = 44,
    Icmpv6 = 58,
    Ipv6NoNext = 59,
    Ipv6Options = 60,
}
