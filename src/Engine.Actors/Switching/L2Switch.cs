namespace Engine.Actors.Switching;

/// <summary>
/// One switch's state in the data plane: its members (port indices), their VLANs, what it has
/// learned and each member's storm-control bucket. Owned by the router actor: not thread-safe.
/// </summary>
/// <param name="routerMember">The member that is the switch's router interface, or -1 when it has none.</param>
/// <param name="vlans">Each member's VLAN role; by default every member an access port of VLAN 1.</param>
public sealed class L2Switch(string name, int[] memberPorts, MacTable table, StormControl storm, int routerMember = -1, SwitchVlans? vlans = null)
{
    public string Name { get; } = name;

    /// <summary>Port index of each member, by member number.</summary>
    public int[] MemberPorts { get; } = memberPorts;

    public MacTable Table { get; } = table;

    public StormControl Storm { get; } = storm;

    /// <summary>
    /// The member through which the router is on the segment (its port has the switch's gateway
    /// addresses and no device behind it), or -1 when the switch has no router interface.
    /// </summary>
    public int RouterMember { get; } = routerMember;

    public bool HasRouter => RouterMember >= 0;

    /// <summary>The router interface's port index; only when <see cref="HasRouter"/>.</summary>
    public int RouterPort => MemberPorts[RouterMember];

    /// <summary>Each member's VLAN role; a router interface is an access port of VLAN 1.</summary>
    public SwitchVlans Vlans { get; } = vlans ?? new SwitchVlans(memberPorts.Length);
}

/// <summary>A port's place in its switch: <paramref name="Member"/> indexes <see cref="L2Switch.MemberPorts"/>.</summary>
public sealed record SwitchMembership(L2Switch Switch, int Member);
