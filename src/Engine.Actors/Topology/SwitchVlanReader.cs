using System.Collections.Immutable;
using System.Globalization;

namespace Engine.Actors.Topology;

/// <summary>
/// Reads a switch's 802.1Q keys: the VLANs it declares (<c>vlans</c>; VLAN 1 is always known),
/// and a port written as an object: <c>{ port = NAME, vlan = ID }</c>, an access port, or
/// <c>{ port = NAME, trunk = [ID, ...], native = ID }</c>, a trunk. Every id is 1 to 4094 and
/// declared; a list names each once.
/// </summary>
internal static class SwitchVlanReader
{
    public const int DefaultVlan = 1;
    public const int MaxVlan = 4094;

    private static readonly string[] PortKeys = ["port", "vlan", "trunk", "native"];

    /// <returns>The declared VLANs in file order.</returns>
    public static ImmutableArray<int> ReadDeclared(ObjectReader reader, ErrorList errors) =>
        reader.List("vlans") is { } list ? ReadIds(list, known: null, errors) : [];

    /// <param name="vlansPath">Where the switch's <c>vlans</c> are (or would be), for the reason an id is unknown.</param>
    /// <returns>The port's name as written, and its role; the role is null when it was refused.</returns>
    public static (HoconScalar? Name, PortVlan? Vlan) ReadPort(HoconObjectNode node, ImmutableArray<int> declared, string vlansPath, ErrorList errors)
    {
        var before = errors.Count;
        var reader = new ObjectReader(node, errors, PortKeys);
        var name = reader.Scalar("port", "a tap or peer name", required: true);
        var known = new Known(declared, vlansPath);
        var access = reader.Scalar("vlan", "a VLAN id") is { } vlanText ? ReadId(vlanText, known, errors) : null;
        var native = reader.Scalar("native", "a VLAN id") is { } nativeText ? ReadId(nativeText, known, errors) : null;
        var trunkList = reader.List("trunk");
        var trunk = trunkList is null ? [] : ReadIds(trunkList, known, errors);

        if (!reader.IsAbsent("vlan") && !reader.IsAbsent("trunk"))
            errors.Add(reader.Path, "has both vlan and trunk: a port is an access port of one VLAN or a trunk, not both");
        else if (trunkList is { Items.Count: 0 })
            errors.Add(trunkList.Path, "must name at least one VLAN");
        else if (!reader.IsAbsent("native") && reader.IsAbsent("trunk"))
            errors.Add(reader.PathOf("native"), "is a trunk's VLAN for untagged frames; an access port's frames are all in its vlan");
        else if (native is { } id && trunk.Contains(id))
            errors.Add(reader.PathOf("native"), $"VLAN {id} is also in trunk: a trunk's native VLAN leaves untagged, so name it in one place");

        if (errors.Count != before)
            return (name, null);
        return (name, trunkList is null ? PortVlan.Access(access ?? DefaultVlan) : PortVlan.TrunkOf(trunk, native ?? 0));
    }

    private static ImmutableArray<int> ReadIds(HoconList list, Known? known, ErrorList errors)
    {
        var ids = ImmutableArray.CreateBuilder<int>(list.Items.Count);
        var first = new Dictionary<int, string>();
        foreach (var item in list.Items)
        {
            if (ObjectReader.AsScalar(item, "a VLAN id", errors) is not { } text || ReadId(text, known, errors) is not { } id)
                continue;
            if (!first.TryAdd(id, text.Path))
            {
                errors.Add(text.Path, $"duplicate VLAN {id} (first at {first[id]})");
                continue;
            }
            ids.Add(id);
        }
        return ids.ToImmutable();
    }

    private static int? ReadId(HoconScalar text, Known? known, ErrorList errors)
    {
        if (!int.TryParse(text.Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) || id < DefaultVlan || id > MaxVlan)
        {
            errors.Add(text.Path, $"must be a VLAN id from {DefaultVlan} to {MaxVlan}, got {text.Describe()}");
            return null;
        }
        if (known is not null && id != DefaultVlan && !known.Declared.Contains(id))
        {
            errors.Add(text.Path, $"unknown VLAN {id}: the switch declares {known.Describe()} ({known.Path})");
            return null;
        }
        return id;
    }

    /// <summary>The VLANs a port may name: 1 and the switch's declared ones.</summary>
    private sealed record Known(ImmutableArray<int> Declared, string Path)
    {
        public string Describe() =>
            Declared.Any(id => id != DefaultVlan) ? $"1 and {string.Join(", ", Declared.Where(id => id != DefaultVlan))}" : "only the default VLAN 1";
    }
}
