namespace Engine.Actors.Rules;

/// <summary>
/// One entry of the rule table: the highest-priority rule whose match holds decides a frame; among
/// equal priorities, the lowest <paramref name="Id"/> (the lab file lists rules in that order).
/// </summary>
/// <param name="Id">The rule's number, sent with each frame it punts to a controller.</param>
public sealed record Rule(int Id, int Priority, FlowMatch Match, RuleAction Action)
{
    /// <summary>Counted for each frame the rule decides, when the rule's source wants to know (OpenFlow's flow stats).</summary>
    public RuleHits? Hits { get; init; }

    /// <summary>True when this rule decides a frame both match ahead of <paramref name="other"/>.</summary>
    public bool Precedes(Rule other) => Priority > other.Priority || (Priority == other.Priority && Id < other.Id);
}
