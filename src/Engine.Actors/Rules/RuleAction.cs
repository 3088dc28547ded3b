namespace Engine.Actors.Rules;

/// <summary>What a matched rule does with a frame.</summary>
public enum RuleActionKind
{
    /// <summary>On to the lab's own forwarding (wire, switch or router), as if no rule matched.</summary>
    Normal,
    /// <summary>Dropped, counted <c>filtered</c> on the ingress port.</summary>
    Drop,
    /// <summary>To a controller link, unchanged, tagged with the ingress port and the rule.</summary>
    Controller,
    /// <summary>Out of one port, unchanged (an OpenFlow flow's single output).</summary>
    Output,
}

/// <summary>A rule's action, with the port it sends to when it sends anywhere.</summary>
public readonly record struct RuleAction(RuleActionKind Kind, int Port = -1)
{
    public static RuleAction Normal => new(RuleActionKind.Normal);
    public static RuleAction Drop => new(RuleActionKind.Drop);
    public static RuleAction ToController(int port) => new(RuleActionKind.Controller, port);
    public static RuleAction ToPort(int port) => new(RuleActionKind.Output, port);
}
