namespace Engine.Actors.Topology;

/// <summary>The token level of <see cref="HoconSyntaxCheck"/>: strings, substitutions, whitespace,
/// comments and the character classes Akka's tokenizer uses.</summary>
internal sealed partial class HoconSyntaxCheck
{
    // Akka's tokenizer ends unquoted text at these (HOCON also forbids '+', which Akka allows).
    private const string NotInUnquotedText = "$\"{}[]:=,#`^?!@*&\\";
    private const string NotInUnquotedKey = NotInUnquotedText + ".";

    private void QuotedString()
    {
        var openedAt = _at++;
        while (!AtEnd && Peek() is not ('"' or '\n'))
        {
            if (Peek() == '\\')
                Escape();
            else
                _at++;
        }
        if (AtEnd || Peek() == '\n')
            throw Problem("string is not closed on its line", openedAt);
        _at++;
    }

    private void Escape()
    {
        var escapeAt = _at++;
        var code = AtEnd ? '\n' : _text[_at++];
        if (code is '"' or '\\' or '/' or 'b' or 'f' or 'n' or 'r' or 't')
            return;
        if (code == 'u' && _at + 4 <= _text.Length && IsHex(_text.AsSpan(_at, 4)))
        {
            _at += 4;
            return;
        }
        throw Problem(code == '\n' ? "string is not closed on its line" : $"unknown escape '\\{code}' in a string", escapeAt);
    }

    private static bool IsHex(ReadOnlySpan<char> digits)
    {
        foreach (var digit in digits)
            if (!char.IsAsciiHexDigit(digit))
                return false;
        return true;
    }

    private void TripleQuotedString()
    {
        var end = _text.IndexOf("\"\"\"", _at + 3, StringComparison.Ordinal);
        if (end < 0)
            throw Problem("triple-quoted string is never closed");
        _at = end + 3;
    }

    /// <summary>"${path}": Akka reads the path as unquoted text and takes one closing character on
    /// trust, so anything else ("${?x}", "${ x }") would leave it parsing the wrong thing.</summary>
    private void Substitution()
    {
        var openedAt = _at;
        _at += 2;
        var pathStart = _at;
        while (IsTextChar())
            _at++;
        if (_at == pathStart || Peek() != '}')
            throw Problem("a substitution must be ${path.to.key}, with no spaces or '?'", openedAt);
        _at++;
    }

    /// <summary>Spaces and a comment up to, not including, the end of the line.</summary>
    private void SkipSpaces()
    {
        while (!AtEnd && Peek() != '\n' && char.IsWhiteSpace(Peek()))
            _at++;
        if (StartsComment())
            while (!AtEnd && Peek() != '\n')
                _at++;
    }

    private void SkipBlankLines()
    {
        while (true)
        {
            SkipSpaces();
            if (Peek() != '\n')
                return;
            _at++;
        }
    }

    private bool AtEnd => _at >= _text.Length;

    private char Peek() => AtEnd ? '\0' : _text[_at];

    private bool At(string expected) => string.CompareOrdinal(_text, _at, expected, 0, expected.Length) == 0;

    private bool StartsComment() => Peek() == '#' || At("//");

    private bool StartsValue() => StartsComment() is false && (Peek() is '"' or '[' or '{' || At("${") || IsTextChar());

    private bool IsTextChar() =>
        !AtEnd && !char.IsWhiteSpace(Peek()) && !NotInUnquotedText.Contains(Peek()) && !StartsComment();

    private bool IsKeyChar() =>
        !AtEnd && !char.IsWhiteSpace(Peek()) && !NotInUnquotedKey.Contains(Peek()) && !StartsComment() && !At("+=");

    /// <summary>Akka keeps inner spaces of an unquoted key ("foo bar = 1" sets "foo bar").</summary>
    private bool NextNonSpaceIsKeyChar()
    {
        var saved = _at;
        while (Peek() is ' ' or '\t')
            _at++;
        var result = IsKeyChar();
        _at = saved;
        return result;
    }

    private string Found() => AtEnd ? "the end of the file" : Peek() == '\n' ? "the end of the line" : $"'{Peek()}'";

    private string Position(int index) => TextPosition.Describe(_text, index);
}
