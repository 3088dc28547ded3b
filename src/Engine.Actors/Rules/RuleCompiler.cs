using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Engine.Actors.Topology;
using Engine.Actors.Wire;

namespace Engine.Actors.Rules;

/// <summary>
/// Turns the lab file's rules into table entries over port numbers. A prefix implies its
/// family's EtherType, so an IPv4 prefix never matches IPv6 bits; <c>link-local-src</c> is two
/// entries of one rule, one per family.
/// </summary>
public static class RuleCompiler
{
    private static readonly IPNetwork LinkLocalV4 = IPNetwork.Parse("169.254.0.0/16");
    private static readonly IPNetwork LinkLocalV6 = IPNetwork.Parse("fe80::/10");

    /// <param name="portIndex">The port number of a device or peer name.</param>
    public static IEnumerable<Rule> Compile(IEnumerable<RuleSpec> rules, Func<string, int> portIndex)
    {
        foreach (var spec in rules)
        {
            var action = spec.Action switch
            {
                RuleActionKind.Controller => RuleAction.ToController(portIndex(spec.Controller!)),
                RuleActionKind.Drop => RuleAction.Drop,
                _ => RuleAction.Normal,
            };
            foreach (var match in Matches(spec.Match, portIndex))
                yield return new Rule(spec.Id, spec.Priority, match, action);
        }
    }

    private static IEnumerable<FlowMatch> Matches(RuleMatchSpec spec, Func<string, int> portIndex)
    {
        if (!spec.LinkLocalSource)
        {
            yield return Match(spec, spec.Source, portIndex);
            yield break;
        }
        // A destination or EtherType of one family leaves the other family's entry out.
        var family = spec.Destination?.BaseAddress.AddressFamily
            ?? spec.EtherType switch { EtherType.Ipv4 => AddressFamily.InterNetwork, EtherType.Ipv6 => AddressFamily.InterNetworkV6, _ => AddressFamily.Unspecified };
        if (family != AddressFamily.InterNetworkV6) yield return Match(spec, LinkLocalV4, portIndex);
        if (family != AddressFamily.InterNetwork) yield return Match(spec, LinkLocalV6, portIndex);
    }

    private static FlowMatch Match(RuleMatchSpec spec, IPNetwork? source, Func<string, int> portIndex)
    {
        int inPort = 0, inPortMask = 0;
        if (spec.InPort is { } name) (inPort, inPortMask) = (portIndex(name), -1);
        ushort etherType = spec.EtherType ?? 0;
        var (sourceValue, sourceMask) = Prefix(source, ref etherType);
        var (destinationValue, destinationMask) = Prefix(spec.Destination, ref etherType);
        var value = new FlowKey(inPort, etherType, spec.IpProtocol ?? 0, spec.Ttl ?? 0, sourceValue, destinationValue);
        var mask = new FlowKey(inPortMask,
            etherType == 0 ? (ushort)0 : ushort.MaxValue,
            spec.IpProtocol is null ? (byte)0 : byte.MaxValue,
            spec.Ttl is null ? (byte)0 : byte.MaxValue,
            sourceMask,
            destinationMask);
        return new FlowMatch(value, mask);
    }

    /// <summary>A prefix's value and mask in a <see cref="FlowKey"/> address field; it sets the EtherType of its family.</summary>
    private static (UInt128 Value, UInt128 Mask) Prefix(IPNetwork? prefix, ref ushort etherType)
    {
        if (prefix is not { } network) return (0, 0);
        var bytes = network.BaseAddress.GetAddressBytes();
        if (bytes.Length == 4)
        {
            etherType = EtherType.Ipv4;
            var mask = network.PrefixLength == 0 ? 0u : uint.MaxValue << (32 - network.PrefixLength);
            return (BinaryPrimitives.ReadUInt32BigEndian(bytes), mask);
        }
        etherType = EtherType.Ipv6;
        var mask6 = network.PrefixLength == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - network.PrefixLength);
        return (BinaryPrimitives.ReadUInt128BigEndian(bytes), mask6);
    }
}
