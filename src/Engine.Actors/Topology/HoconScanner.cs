namespace Engine.Actors.Topology;

/// <summary>
/// The token level of <see cref="HoconSyntaxCheck"/>: a cursor over the text that steps over
/// strings, substitutions, whitespace and comments, and knows the character classes Akka's
/// tokenizer uses.
/// </summary>
internal sealed class HoconScanner(string text)
{
    // Akka's tokenizer ends unquoted text at these (HOCON also forbids '+', which Akka allows).
    private const string NotInUnquotedText = "$\"{}[]:=,#`^?!@*&\\";
    private const string NotInUnquotedKey = NotInUnquotedText + ".";

    private int _at;

    /// <summary>Steps over one character; returns where it was.</summary>
    public int Advance() => _at++;

    /// <summary>The character <paramref name="offset"/> places on, or '\0' past the end.</summary>
    public char PeekAt(int offset) => _at + offset < text.Length ? text[_at + offset] : '\0';

    /// <summary>A problem here, or at <paramref name="at"/>.</summary>
    public HoconSyntaxProblem Problem(string message, int? at = null) => new(message, at ?? _at);

    public void QuotedString()
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
        var code = AtEnd ? '\n' : text[_at++];
        if (code is '"' or '\\' or '/' or 'b' or 'f' or 'n' or 'r' or 't')
            return;
        if (code == 'u' && _at + 4 <= text.Length && IsHex(text.AsSpan(_at, 4)))
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

    public void TripleQuotedString()
    {
        var end = text.IndexOf("\"\"\"", _at + 3, StringComparison.Ordinal);
        if (end < 0)
            throw Problem("triple-quoted string is never closed");
        _at = end + 3;
    }

    /// <summary>"${path}": Akka reads the path as unquoted text and takes one closing character on
    /// trust, so anything else ("${?x}", "${ x }") would leave it parsing the wrong thing.</summary>
    public void Substitution()
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
    public void SkipSpaces()
    {
        while (!AtEnd && Peek() != '\n' && char.IsWhiteSpace(Peek()))
            _at++;
        if (StartsComment())
            while (!AtEnd && Peek() != '\n')
                _at++;
    }

    public void SkipBlankLines()
    {
        while (true)
        {
            SkipSpaces();
            if (Peek() != '\n')
                return;
            _at++;
        }
    }

    public bool AtEnd => _at >= text.Length;

    public char Peek() => AtEnd ? '\0' : text[_at];

    public bool Sees(string expected) => string.CompareOrdinal(text, _at, expected, 0, expected.Length) == 0;

    public bool StartsComment() => Peek() == '#' || Sees("//");

    public bool StartsValue() => StartsComment() is false && (Peek() is '"' or '[' or '{' || Sees("${") || IsTextChar());

    public bool IsTextChar() =>
        !AtEnd && !char.IsWhiteSpace(Peek()) && !NotInUnquotedText.Contains(Peek()) && !StartsComment();

    public bool IsKeyChar() =>
        !AtEnd && !char.IsWhiteSpace(Peek()) && !NotInUnquotedKey.Contains(Peek()) && !StartsComment() && !Sees("+=");

    /// <summary>Akka keeps inner spaces of an unquoted key ("foo bar = 1" sets "foo bar").</summary>
    public bool NextNonSpaceIsKeyChar()
    {
        var saved = _at;
        while (Peek() is ' ' or '\t')
            _at++;
        var result = IsKeyChar();
        _at = saved;
        return result;
    }

    public string Found() => AtEnd ? "the end of the file" : Peek() == '\n' ? "the end of the line" : $"'{Peek()}'";
}

/// <summary>The first syntax error in a lab file's text, at <see cref="At"/>.</summary>
internal sealed class HoconSyntaxProblem(string message, int at) : Exception(message)
{
    public int At { get; } = at;
}
