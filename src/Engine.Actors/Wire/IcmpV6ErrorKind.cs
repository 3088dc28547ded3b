namespace Engine.Actors.Wire;

/// <summary>The ICMPv6 errors a router sends (RFC 4443 §3).</summary>
public enum IcmpV6ErrorKind : byte
{
    /// <summary>Time Exceeded, hop limit exceeded in transit (type 3, code 0).</summary>
    TimeExceeded,

    /// <summary>Destination Unreachable, no route to destination (type 1, code 0).</summary>
    NoRoute,

    /// <summary>Destination Unreachable, address unreachable (type 1, code 3).</summary>
    AddressUnreachable,

    /// <summary>Packet Too Big (type 2, code 0), carries the MTU of the next-hop link.</summary>
    PacketTooBig,

    /// <summary>Destination Unreachable, communication with destination administratively prohibited (type 1, code 1): a prohibit route.</summary>
    AdministrativelyProhibited,
}
