namespace Engine.Actors.Topology;

/// <summary>
/// A recogniser for the HOCON syntax a lab file may use, run before Akka's parser sees the text.
/// Akka's parser accepts unclosed braces and strings without a word, and on a list holding
/// something it cannot read as a value ("[1, 2 }", "[a = b]", a '{' commented out) it loops
/// forever, allocating as it goes. This check builds no values; it finds the first syntax error
/// and names its line and column, so that Akka only ever parses well-formed text.
/// </summary>
internal sealed class HoconSyntaxCheck
{
    public const int MaxDepth = 64;

    // Akka's tokenizer ends unquoted text at these (HOCON also forbids '+', which Akka allows).
    private const string NotInUnquotedText = "$\"{}[]:=,#`^?!@*&\\";
    private const string NotInUnquotedKey = NotInUnquotedText + ".";

    private readonly string _text;
    private int _at;
    private int _depth;

    private HoconSyntaxCheck(string text) => _text = text;

    /// <summary>Null when the text is well formed, else "line L, column C: problem".</summary>
    public static string? FindProblem(string text)
    {
        var check = new HoconSyntaxCheck(text);
        try
        {
            check.Document();
            return null;
        }
        catch (SyntaxProblem problem)
        {
            return $"{check.Position(problem.At)}: {problem.Message}";
        }
    }

    private void Document()
    {
        SkipBlankLines();
        if (Peek() == '{')
        {
            Object();
            SkipBlankLines();
            if (!AtEnd)
                throw Problem($"expected nothing after the closing '}}', found {Found()}");
            return;
        }
        ObjectBody(openedAt: -1);
    }

    /// <summary>Members up to the matching '}', or to the end of the text for the root object.</summary>
    private void ObjectBody(int openedAt)
    {
        while (true)
        {
            SkipBlankLines();
            if (AtEnd)
            {
                if (openedAt >= 0)
                    throw Problem($"'{{' at {Position(openedAt)} is never closed", openedAt);
                return;
            }
            if (Peek() == '}')
            {
                if (openedAt < 0)
                    throw Problem("'}' has nothing to close");
                _at++;
                return;
            }
            Member();
            SkipSpaces();
            if (AtEnd || Peek() is '\n' or '}')
                continue;
            if (Peek() == ',')
            {
                _at++;
                continue;
            }
            throw Problem($"expected ',', a new line or '}}' after the value, found {Found()}");
        }
    }

    private void Member()
    {
        if (At("include") && _at + 7 < _text.Length && char.IsWhiteSpace(_text[_at + 7]))
            throw Problem("include is not supported: put the whole lab in one file");
        Key();
        SkipBlankLines();
        if (At("+="))
            throw Problem("'+=' is not supported; write the whole list");
        switch (Peek())
        {
            case '{':
                Object();
                return;
            case '=' or ':':
                _at++;
                SkipBlankLines();
                Value();
                return;
            default:
                throw Problem($"expected '=', ':' or '{{' after the key, found {Found()}");
        }
    }

    private void Key()
    {
        while (true)
        {
            if (Peek() == '"')
                QuotedString();
            else if (IsKeyChar())
                while (IsKeyChar() || (Peek() is ' ' or '\t' && NextNonSpaceIsKeyChar()))
                    _at++;
            else
                throw Problem($"expected a key, found {Found()}");
            if (Peek() != '.')
                return;
            _at++;
        }
    }

    /// <summary>One value: parts concatenated on one line ("10 s", "${a}/24", "[1] [2]").</summary>
    private void Value()
    {
        ValuePart();
        while (true)
        {
            SkipSpaces();
            if (StartsValue())
                ValuePart();
            else if (Peek() is ':' or '=')
                throw UnquotedSeparator();
            else
                return;
        }
    }

    private void ValuePart()
    {
        if (At("\"\"\""))
            TripleQuotedString();
        else if (Peek() == '"')
            QuotedString();
        else if (At("${"))
            Substitution();
        else if (Peek() == '[')
            List();
        else if (Peek() == '{')
            Object();
        else if (IsTextChar())
            while (IsTextChar())
                _at++;
        else if (Peek() is ':' or '=')
            throw UnquotedSeparator();
        else
            throw Problem($"expected a value, found {Found()}");
    }

    private SyntaxProblem UnquotedSeparator() =>
        Problem($"'{Peek()}' cannot appear in an unquoted value; put the value in quotes (IPv6 addresses need them)");

    private void Object()
    {
        var openedAt = _at++;
        Enter(openedAt);
        ObjectBody(openedAt);
        _depth--;
    }

    private void List()
    {
        var openedAt = _at++;
        Enter(openedAt);
        while (true)
        {
            SkipBlankLines();
            if (AtEnd)
                throw Problem($"'[' at {Position(openedAt)} is never closed", openedAt);
            if (Peek() == ']')
                break;
            Value();
            SkipSpaces();
            if (Peek() == ',')
                _at++;
            else if (!AtEnd && Peek() is not ('\n' or ']'))
                throw Problem($"expected ',', a new line or ']' after the value, found {Found()}");
        }
        _at++;
        _depth--;
    }

    private void Enter(int openedAt)
    {
        if (++_depth > MaxDepth)
            throw Problem($"nested more than {MaxDepth} levels deep", openedAt);
    }

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

    private void SkipSpaces()
    {
        while (Peek() is ' ' or '\t' or '\r' || (Peek() != '\n' && char.IsWhiteSpace(Peek())))
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
        !AtEnd && !char.IsWhiteSpace(Peek()) && !NotInUnquotedKey.Contains(Peek()) && !StartsComment();

    private bool NextNonSpaceIsKeyChar()
    {
        var saved = _at;
        while (Peek() is ' ' or '\t')
            _at++;
        var result = IsKeyChar() && !At("+=");
        _at = saved;
        return result;
    }

    private string Found() => AtEnd ? "the end of the file" : Peek() == '\n' ? "the end of the line" : $"'{Peek()}'";

    private string Position(int index)
    {
        var lineStart = index == 0 ? 0 : _text.LastIndexOf('\n', index - 1) + 1;
        var line = 1 + _text.AsSpan(0, index).Count('\n');
        return $"line {line}, column {index - lineStart + 1}";
    }

    private SyntaxProblem Problem(string message, int? at = null) => new(message, at ?? _at);

    private sealed class SyntaxProblem(string message, int at) : Exception(message)
    {
        public int At { get; } = at;
    }
}
