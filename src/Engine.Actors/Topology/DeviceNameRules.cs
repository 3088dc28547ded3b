namespace Engine.Actors.Topology;

/// <summary>
/// Device names against what else lives in their namespace: a fixed name that a "%d" template
/// in the same namespace may be given (whichever opens first takes it, and the other fails),
/// and a fixed name the kernel already uses there.
/// </summary>
internal static class DeviceNameRules
{
    public static void ReportTemplateClashes(IReadOnlyList<DeviceEntry> entries, ErrorList errors)
    {
        for (var later = 1; later < entries.Count; later++)
        {
            var device = entries[later];
            if (device.Name is not { } name || !device.NamespaceKnown)
                continue;
            for (var earlier = 0; earlier < later; earlier++)
            {
                var other = entries[earlier];
                if (other.Name is not { } otherName || !other.NamespaceKnown || other.Namespace != device.Namespace)
                    continue;
                var (template, fixedName) = IsTemplate(name) ? (name, otherName) : (otherName, name);
                if (IsTemplate(fixedName) || !IsTemplate(template) || !Fills(template, fixedName))
                    continue;
                errors.Add(HoconPath.Key(device.Path, "name"),
                    $"{ValueText.Quote(fixedName)} is a name the kernel may give the template {ValueText.Quote(template)} ({other.Path}) in {Where(device.Namespace)}");
                break;
            }
        }
    }

    /// <summary>Persistent devices are left out: the link they find is their own from an earlier run.</summary>
    public static void ReportTakenNames(IReadOnlyList<DeviceEntry> entries, ILinkNames kernel, ErrorList errors)
    {
        foreach (var entry in entries)
        {
            if (entry.Spec is not { Persistent: false } spec || IsTemplate(spec.Name) || !kernel.IsTaken(spec.Namespace, spec.Name))
                continue;
            errors.Add(HoconPath.Key(entry.Path, "name"), $"{Where(spec.Namespace)} already has a link named {ValueText.Quote(spec.Name)}");
        }
    }

    public static string Where(string? space) => space is null ? "the engine's namespace" : "namespace " + space;

    private static bool IsTemplate(string name) => name.Contains("%d", StringComparison.Ordinal);

    /// <summary>Whether the kernel's dev_alloc_name could turn <paramref name="template"/> into <paramref name="name"/>.</summary>
    private static bool Fills(string template, string name)
    {
        var at = template.IndexOf("%d", StringComparison.Ordinal);
        var prefix = template[..at];
        var suffix = template[(at + 2)..];
        if (name.Length <= prefix.Length + suffix.Length || !name.StartsWith(prefix, StringComparison.Ordinal) || !name.EndsWith(suffix, StringComparison.Ordinal))
            return false;
        var number = name[prefix.Length..^suffix.Length];
        return number.All(char.IsAsciiDigit) && (number == "0" || number[0] != '0');
    }
}
