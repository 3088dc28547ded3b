namespace Engine.Actors.Topology;

/// <summary>Key paths as errors show them: engine.devices[0].address[1].</summary>
internal static class HoconPath
{
    public static string Key(string parent, string key)
    {
        var shown = NeedsQuotes(key) ? ValueText.Quote(key) : key;
        return parent.Length == 0 ? shown : parent + "." + shown;
    }

    public static string Index(string parent, int index) => $"{parent}[{index}]";

    private static bool NeedsQuotes(string key)
    {
        if (key.Length == 0)
            return true;
        foreach (var c in key)
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_'))
                return true;
        return false;
    }
}
