using System.Text.Json;

namespace Engine.Commands;

/// <summary>`engine reload` for a person: what was added, removed and recreated, one line per kind of item that changed.</summary>
internal static class ReloadText
{
    public static void Write(JsonElement answer, TextWriter output)
    {
        if (!answer.GetProperty("changed").GetBoolean())
        {
            output.WriteLine("reloaded: nothing changed");
            return;
        }
        foreach (var kind in new[] { "devices", "peers", "routes" })
        {
            var changes = answer.GetProperty(kind);
            var parts = new[] { "added", "removed", "recreated" }
                .Select(what => (what, names: changes.GetProperty(what).EnumerateArray().Select(n => n.GetString()).ToList()))
                .Where(part => part.names.Count > 0)
                .Select(part => $"{part.what} {string.Join(", ", part.names)}")
                .ToList();
            if (parts.Count > 0) output.WriteLine($"{kind}: {string.Join("; ", parts)}");
        }
        var notUp = answer.GetProperty("not_up").EnumerateArray().Select(n => n.GetString()).ToList();
        if (notUp.Count > 0) output.WriteLine($"not up yet: {string.Join(", ", notUp)}");
    }
}
