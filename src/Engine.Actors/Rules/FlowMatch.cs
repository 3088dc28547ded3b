namespace Engine.Actors.Rules;

/// <summary>
/// What a rule matches: the fields it names, as bit masks (<see cref="Mask"/>), and their values
/// under those masks (<see cref="Value"/>). A field left out has mask 0 and matches anything; a
/// prefix is a mask of its length. The empty match matches every frame.
/// </summary>
public readonly record struct FlowMatch
{
    public FlowMatch(FlowKey value, FlowKey mask)
    {
        Mask = mask;
        Value = value.Masked(mask);
    }

    public FlowKey Value { get; }
    public FlowKey Mask { get; }

    public static FlowMatch Any => default;

    public bool Matches(in FlowKey key) => key.Masked(Mask) == Value;
}
