using System.Text;

namespace Engine.Actors.Topology;

/// <summary>How values appear inside an error line: numbers bare, text quoted and escaped so that
/// every error stays on one line, long text cut short.</summary>
internal static class ValueText
{
    private const int MaxShown = 80;

    public static string Show(string text) => LooksNumeric(text) ? text : Quote(text);

    public static string Quote(string text)
    {
        var shown = new StringBuilder(text.Length + 2).Append('"');
        var length = Math.Min(text.Length, MaxShown);
        for (var i = 0; i < length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '"': shown.Append("\\\""); break;
                case '\\': shown.Append("\\\\"); break;
                case '\n': shown.Append("\\n"); break;
                case '\r': shown.Append("\\r"); break;
                case '\t': shown.Append("\\t"); break;
                default:
                    if (char.IsControl(c))
                        shown.Append($"\\u{(int)c:x4}");
                    else
                        shown.Append(c);
                    break;
            }
        }
        if (text.Length > MaxShown)
            shown.Append("...");
        return shown.Append('"').ToString();
    }

    private static bool LooksNumeric(string text)
    {
        if (text.Length is 0 or > 20)
            return false;
        var start = text[0] == '-' ? 1 : 0;
        var dots = 0;
        for (var i = start; i < text.Length; i++)
        {
            if (text[i] == '.')
                dots++;
            else if (!char.IsAsciiDigit(text[i]))
                return false;
        }
        return text.Length > start && dots <= 1 && char.IsAsciiDigit(text[^1]) && char.IsAsciiDigit(text[start]);
    }
}
