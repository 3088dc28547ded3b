namespace Engine.Actors.Rules;

/// <summary>
/// What a rule matches: the fields it names, as bit masks (<see cref="Mask"/>), and their values
/// under those masks (<see cref="Value"/>). A field left out has mask 0 and matches anything; a
/// prefix is a mask of its length. The empty match matches every frame.
/// </summary>
public readonly record struct FlowMatch
{
    private readonly FlowKey _value;
    private readonly FlowKey _mask;

    public FlowMatch(FlowKey value, FlowKey mask)
    {
        _mask = mask;
        _value = value.Masked(mask);
    }

    public FlowKey Value => _value;
    public FlowKey Mask => _mask;

    public static FlowMatch Any => default;

    // Field by field: a lab's scan of a few rules stops at the first field that differs and never builds a masked copy of the key.
    public bool Matches(in FlowKey key) => key.MatchesUnder(in _mask, in _value);
}
