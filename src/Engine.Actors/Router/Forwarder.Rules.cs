using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Routing;
using Engine.Actors.Rules;

namespace Engine.Actors.Router;

/// <summary>
/// The rule table in front of the lab's forwarding: the frame's fields are read once, the
/// highest-priority matching rule decides. <c>drop</c> counts the frame (<c>rule</c>);
/// <c>controller</c> sends it as it came in, tagged with its ingress port and the rule, to a
/// controller link (an OpenFlow flow's slow path goes to the OpenFlow switch this way);
/// <c>output</c> sends it unchanged out of one port; <c>normal</c>, or no match, leaves it to
/// the wire, switch or router.
/// </summary>
internal sealed partial class Forwarder
{
    /// <summary>What the rules did with frame <paramref name="index"/>: null when they leave it to the lab's forwarding.</summary>
    private bool? ApplyRules(FrameBatch batch, int index, Port ingress, RuleTable rules, RouteSnapshot routes)
    {
        var ethernet = CarriesEthernet(ingress, batch.Tag(index), routes);
        var key = rules.UsesOpenFlowFields
            ? FlowKeyFields.Read(batch.Frame(index), ethernet, ingress.Index)
            : FlowKeyReader.Read(batch.Frame(index), ethernet, ingress.Index);
        if (rules.Lookup(key) is not { } rule)
            return null;
        rule.Hits?.Add(batch.Frame(index).Length, Environment.TickCount64);
        switch (rule.Action.Kind)
        {
            // An output to a port of the other kind (Ethernet or not) is left to the OpenFlow switch's slow path by the compiler.
            case RuleActionKind.Output:
                return (uint)rule.Action.Port < (uint)routes.Ports.Length
                    ? CarryTo(batch, index, ingress, routes.Ports[rule.Action.Port], tag: ingress.Index)
                    : Dropped(ingress, DropReason.NoRoute);
            case RuleActionKind.Drop:
                ingress.Counters.AddDrop(DropReason.Rule);
                return false;
            case RuleActionKind.Controller:
                return (uint)rule.Action.Port < (uint)routes.Ports.Length
                    ? CarryTo(batch, index, ingress, routes.Ports[rule.Action.Port], tag: ingress.Index, note: rule.Id)
                    : Dropped(ingress, DropReason.NoRoute);
            default:
                return null;
        }
    }

    /// <summary>
    /// Whether frames on <paramref name="port"/> carry an Ethernet header: a tap's, a switch
    /// member's, and those of a link wired to a tap (<paramref name="tag"/> says which wire).
    /// </summary>
    private static bool CarriesEthernet(Port port, int tag, RouteSnapshot routes)
    {
        if (port.IsEthernet || port.Switch is not null) return true;
        return port.Wires is { } wires && wires.TryFind(tag, out var end)
            && (uint)end.Port < (uint)routes.Ports.Length && routes.Ports[end.Port].IsEthernet;
    }
}
