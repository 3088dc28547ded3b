namespace Engine.Actors.Counters;

/// <summary>Why a frame was not forwarded. Every drop is counted under exactly one reason.</summary>
public enum DropReason
{
    /// <summary>Too short, wrong version, lengths that lie, bad header checksum.</summary>
    Malformed,
    /// <summary>No route matched the destination.</summary>
    NoRoute,
    /// <summary>TTL or hop limit would reach zero here.</summary>
    TtlExpired,
    /// <summary>Larger than the egress MTU and not allowed to be fragmented.</summary>
    TooBig,
    /// <summary>Multicast, broadcast or link-local traffic, which a router does not forward.</summary>
    NotRoutable,
    /// <summary>Not an IP packet (a tap frame of another protocol, or unknown version).</summary>
    Unsupported,
    /// <summary>No free buffer to read into: the engine is saturated.</summary>
    NoBuffer,
    /// <summary>The egress refused the frame (kernel queue full, device down).</summary>
    EgressRefused,
    /// <summary>The egress port exists but is not open right now.</summary>
    PortDown,
    /// <summary>The next hop's MAC address on an Ethernet link is not known yet (ARP/NS sent).</summary>
    Unresolved,
    /// <summary>A peer link's send queue was full: the socket could not keep up.</summary>
    QueueFull,
    /// <summary>A peer sent frames before it authenticated, or from a source it may not use.</summary>
    Unauthenticated,
    /// <summary>Broadcast or multicast into a switch port beyond its storm-control rate.</summary>
    Storm,
    /// <summary>A switched frame for a host learned on the port it came in on: already on that segment.</summary>
    Filtered,
    /// <summary>A rule of the lab's rule table said drop.</summary>
    Rule,
    /// <summary>A switched frame in no VLAN its ingress carries: tagged on an access port, a VID off a trunk's list, untagged on a trunk without a native VLAN.</summary>
    Vlan,
    /// <summary>The route to the destination is a blackhole: dropped without an answer.</summary>
    Blackhole,
    /// <summary>The route to the destination is a prohibit route: dropped, answered administratively prohibited.</summary>
    Prohibited,
}

public static class DropReasons
{
    public static readonly int Count = Enum.GetValues<DropReason>().Length;

    public static string Label(this DropReason reason) => reason switch
    {
        DropReason.Malformed => "malformed",
        DropReason.NoRoute => "no-route",
        DropReason.TtlExpired => "ttl",
        DropReason.TooBig => "too-big",
        DropReason.NotRoutable => "not-routable",
        DropReason.Unsupported => "unsupported",
        DropReason.NoBuffer => "no-buffer",
        DropReason.EgressRefused => "egress-refused",
        DropReason.PortDown => "port-down",
        DropReason.Unresolved => "unresolved",
        DropReason.QueueFull => "queue-full",
        DropReason.Unauthenticated => "unauthenticated",
        DropReason.Storm => "storm",
        DropReason.Filtered => "filtered",
        DropReason.Rule => "rule",
        DropReason.Vlan => "vlan",
        DropReason.Blackhole => "blackhole",
        DropReason.Prohibited => "prohibited",
        _ => reason.ToString(),
    };
}
