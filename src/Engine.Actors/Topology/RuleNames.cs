using System.Globalization;
using Engine.Actors.Rules;

namespace Engine.Actors.Topology;

/// <summary>The names a lab file may give EtherTypes and IP protocols in rule matches, beside numbers.</summary>
internal static class RuleNames
{
    public static readonly IReadOnlyDictionary<string, ushort> EtherTypes = new Dictionary<string, ushort>(StringComparer.OrdinalIgnoreCase)
    {
        ["ipv4"] = Wire.EtherType.Ipv4,
        ["arp"] = Wire.EtherType.Arp,
        ["ipv6"] = Wire.EtherType.Ipv6,
        ["lldp"] = 0x88CC,
        ["lacp"] = 0x8809,
        ["llc"] = FlowKey.Llc,
    };

    public static readonly IReadOnlyDictionary<string, byte> IpProtocols = new Dictionary<string, byte>(StringComparer.OrdinalIgnoreCase)
    {
        ["icmp"] = 1,
        ["igmp"] = 2,
        ["tcp"] = 6,
        ["udp"] = 17,
        ["gre"] = 47,
        ["icmpv6"] = 58,
        ["ospf"] = 89,
        ["pim"] = 103,
        ["vrrp"] = 112,
    };

    public const string EtherTypeExpectation = "ipv4, ipv6, arp, lldp, lacp, llc, or a number from 0x0600 to 0xffff";
    public const string IpProtocolExpectation = "icmp, igmp, tcp, udp, gre, icmpv6, ospf, pim, vrrp, or a number from 1 to 255";

    public static bool TryEtherType(string text, out ushort value)
    {
        if (EtherTypes.TryGetValue(text, out value)) return true;
        return TryNumber(text, out var number) && number is >= 0x0600 and <= 0xFFFF && (value = (ushort)number) == number;
    }

    public static bool TryIpProtocol(string text, out byte value)
    {
        if (IpProtocols.TryGetValue(text, out value)) return true;
        return TryNumber(text, out var number) && number is >= 1 and <= 255 && (value = (byte)number) == number;
    }

    private static bool TryNumber(string text, out int number) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? int.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out number)
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out number);
}
