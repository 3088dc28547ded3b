using Engine.Native.Tun;

namespace Engine.Actors.Topology;

/// <summary>
/// The names a device's <c>offload</c> list uses for TUNSETOFFLOAD flags, and the rules the
/// kernel applies to a set of them, checked up front so a bad list is refused before anything
/// is created rather than trimmed silently by the negotiation.
/// </summary>
internal static class OffloadNames
{
    // USO4 and USO6 are one name: the kernel grants them only together.
    private static readonly (string Name, TunOffloads Flags)[] Names =
    [
        ("checksum", TunOffloads.Checksum),
        ("tso4", TunOffloads.Tso4),
        ("tso6", TunOffloads.Tso6),
        ("tso-ecn", TunOffloads.TsoEcn),
        ("uso", TunOffloads.Uso4 | TunOffloads.Uso6),
    ];

    public static readonly string Known = string.Join(", ", Names.Select(n => n.Name));

    /// <summary>"checksum, tso4": the names of <paramref name="offloads"/>, in the order of the list above.</summary>
    public static string Describe(TunOffloads offloads) =>
        string.Join(", ", Names.Where(n => (offloads & n.Flags) == n.Flags).Select(n => n.Name));

    public static TunOffloads Read(HoconList list, ErrorList errors)
    {
        if (list.Items.Count == 0)
        {
            errors.Add(list.Path, "must name at least one offload (off turns them all off)");
            return DeviceSpec.AllOffloads;
        }

        var offloads = TunOffloads.None;
        var errorsBefore = errors.Count;
        foreach (var item in list.Items)
        {
            if (ObjectReader.AsScalar(item, "an offload name", errors) is not { } scalar)
                continue;
            var match = Array.FindIndex(Names, n => n.Name == scalar.Text);
            if (match < 0)
                errors.Add(scalar.Path, $"must be one of {Known}, got {scalar.Describe()}");
            else
                offloads |= Names[match].Flags;
        }
        if (errors.Count != errorsBefore)
            return DeviceSpec.AllOffloads;

        if ((offloads & TunOffloads.Checksum) == 0)
            errors.Add(list.Path, "needs checksum: the kernel grants no other offload without it");
        else if ((offloads & TunOffloads.TsoEcn) != 0 && (offloads & (TunOffloads.Tso4 | TunOffloads.Tso6)) == 0)
            errors.Add(list.Path, "tso-ecn needs tso4 or tso6");
        return offloads;
    }
}
