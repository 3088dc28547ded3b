namespace Engine.Actors.Wire;

/// <summary>The ICMPv4 errors a router sends (RFC 792, RFC 1191, RFC 1812 §4.3).</summary>
public enum IcmpV4ErrorKind : byte
{
    /// <summary>Time Exceeded, TTL exceeded in transit (type 11, code 0).</summary>
    TimeExceeded,

    /// <summary>Destination Unreachable, net unreachable (type 3, code 0).</summary>
    NetUnreachable,

    /// <summary>Destination Unreachable, host unreachable (type 3, code 1).</summary>
    HostUnreachable,

    /// <summary>Destination Unreachable, fragmentation needed and DF set (type 3, code 4), carries the next-hop MTU.</summary>
    FragmentationNeeded,

    /// <summary>Destination Unreachable, communication administratively prohibited (type 3, code 13): a prohibit route.</summary>
    AdministrativelyProhibited,
}
