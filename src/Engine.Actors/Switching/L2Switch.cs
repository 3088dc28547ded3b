namespace Engine.Actors.Switching;

/// <summary>
/// One switch's state in the data plane: its members (port indices), what it has learned and
/// each member's storm-control bucket. Owned by the router actor: not thread-safe.
/// </summary>
public sealed class L2Switch(string name, int[] memberPorts, MacTable table, StormControl storm)
{
    public string Name { get; } = name;

    /// <summary>Port index of each member, by member number.</summary>
    public int[] MemberPorts { get; } = memberPorts;

    public MacTable Table { get; } = table;

    public StormControl Storm { get; } = storm;
}

/// <summary>A port's place in its switch: <paramref name="Member"/> indexes <see cref="L2Switch.MemberPorts"/>.</summary>
public sealed record SwitchMembership(L2Switch Switch, int Member);
