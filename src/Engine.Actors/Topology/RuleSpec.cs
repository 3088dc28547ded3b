using System.Net;
using Engine.Actors.Rules;

namespace Engine.Actors.Topology;

/// <summary>
/// A rule of engine.rules as the lab file writes it, ports by name: frames matching
/// <paramref name="Match"/> get <paramref name="Action"/> instead of the lab's own forwarding
/// (unless the action is <c>normal</c>).
/// </summary>
/// <param name="Id">The rule's position in engine.rules, from 0: the number a controller sees with each frame it punts.</param>
/// <param name="Controller">The controller peer a <c>controller</c> action sends to; null for the other actions.</param>
public sealed record RuleSpec(int Id, int Priority, RuleMatchSpec Match, RuleActionKind Action, string? Controller)
{
    public const int DefaultPriority = 32768;
    public const int MaxPriority = 65535;

    public override string ToString()
    {
        var action = Action switch
        {
            RuleActionKind.Controller => $"to controller {Controller}",
            RuleActionKind.Drop => "drop",
            _ => "normal",
        };
        return $"rule {Id}, priority {Priority}: {Match} -> {action}";
    }
}

/// <summary>The fields a rule matches on; null (or false) for a field it leaves out.</summary>
/// <param name="LinkLocalSource">The IP source is link-local: 169.254.0.0/16 or fe80::/10.</param>
/// <param name="Ttl">IPv4's TTL or IPv6's hop limit.</param>
public sealed record RuleMatchSpec(string? InPort, ushort? EtherType, byte? IpProtocol, IPNetwork? Source, IPNetwork? Destination, bool LinkLocalSource, byte? Ttl)
{
    public static RuleMatchSpec Any { get; } = new(null, null, null, null, null, false, null);

    public override string ToString()
    {
        var fields = new List<string>();
        if (InPort is not null) fields.Add($"in-port {InPort}");
        if (EtherType is { } type) fields.Add($"eth-type 0x{type:x4}");
        if (IpProtocol is { } protocol) fields.Add($"ip-proto {protocol}");
        if (Source is { } source) fields.Add($"src {source}");
        if (Destination is { } destination) fields.Add($"dst {destination}");
        if (LinkLocalSource) fields.Add("link-local src");
        if (Ttl is { } ttl) fields.Add($"ttl {ttl}");
        return fields.Count == 0 ? "any frame" : string.Join(", ", fields);
    }
}
