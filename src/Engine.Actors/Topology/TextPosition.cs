namespace Engine.Actors.Topology;

/// <summary>"line L, column C" for a character index, both counted from 1.</summary>
internal static class TextPosition
{
    public static string Describe(string text, int index)
    {
        index = Math.Clamp(index, 0, text.Length);
        var lineStart = index == 0 ? 0 : text.LastIndexOf('\n', index - 1) + 1;
        var line = 1 + text.AsSpan(0, index).Count('\n');
        return $"line {line}, column {index - lineStart + 1}";
    }
}
