namespace Engine.Actors.Topology;

/// <summary>Reads engine.devices and checks the devices against each other: names are unique,
/// no fixed name is one a template in its namespace may be given, and no two devices in one
/// namespace have overlapping subnets (the kernel would route between them unpredictably). With
/// the kernel's links at hand, no fixed name is one already taken.</summary>
internal static class DeviceListReader
{
    public static IReadOnlyList<DeviceEntry> Read(ObjectReader engine, ErrorList errors, ILinkNames? kernel)
    {
        if (engine.List("devices", required: true) is not { } list)
            return [];
        if (list.Items.Count == 0)
        {
            errors.Add(list.Path, "must list at least one device");
            return [];
        }
        var entries = new List<DeviceEntry>(list.Items.Count);
        foreach (var item in list.Items)
            if (DeviceSpecReader.Read(item, errors) is { } entry)
                entries.Add(entry);
        ReportDuplicateNames(entries, errors);
        DeviceNameRules.ReportTemplateClashes(entries, errors);
        if (kernel is not null)
            DeviceNameRules.ReportTakenNames(entries, kernel, errors);
        ReportOverlappingSubnets(entries, errors);
        return entries;
    }

    private static void ReportDuplicateNames(List<DeviceEntry> entries, ErrorList errors)
    {
        var first = new Dictionary<string, DeviceEntry>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (entry.Name is not { } name)
                continue;
            if (!first.TryAdd(name, entry))
                errors.Add(HoconPath.Key(entry.Path, "name"), $"duplicate device name {ValueText.Quote(name)} (also {first[name].Path})");
        }
    }

    private static void ReportOverlappingSubnets(List<DeviceEntry> entries, ErrorList errors)
    {
        for (var later = 1; later < entries.Count; later++)
        {
            var device = entries[later];
            if (!device.NamespaceKnown)
                continue;
            foreach (var address in device.Addresses)
                if (FirstOverlap(entries, later, device.Namespace, address) is { } problem)
                    errors.Add(address.Path, problem);
        }
    }

    private static string? FirstOverlap(List<DeviceEntry> entries, int later, string? space, PlacedAddress address)
    {
        for (var earlier = 0; earlier < later; earlier++)
        {
            var other = entries[earlier];
            if (!other.NamespaceKnown || other.Namespace != space)
                continue;
            foreach (var otherAddress in other.Addresses)
            {
                if (!address.Address.Overlaps(otherAddress.Address))
                    continue;
                var where = DeviceNameRules.Where(space);
                var owner = other.WrittenName is { } name ? ValueText.Quote(name) : other.Path;
                return $"{address.Address} overlaps {otherAddress.Address} of {owner} ({otherAddress.Path}) in {where}";
            }
        }
        return null;
    }
}
