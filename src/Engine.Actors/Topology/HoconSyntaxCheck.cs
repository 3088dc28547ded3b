namespace Engine.Actors.Topology;

/// <summary>
/// A recogniser for the HOCON syntax a lab file may use, run before Akka's parser sees the text.
/// Akka's parser accepts unclosed braces and strings without a word, and on a list holding
/// something it cannot read as a value ("[1, 2 }", "[a = b]", a '{' commented out) it loops
/// forever, allocating as it goes. This check builds no values; it finds the first syntax error
/// and names its line and column, so that Akka only ever parses well-formed text.
/// </summary>
internal sealed partial class HoconSyntaxCheck
{
    public const int MaxDepth = 64;

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
                    throw Problem("'{' is never closed", openedAt);
                return;
            }
            if (Peek() == '}')
            {
                if (openedAt < 0)
                    throw Problem("'}' has nothing to close");
                _at++;
                return;
            }
            var commaMayFollow = Member();
            // Unlike in lists, Akka takes a comma between members only on the value's own line,
            // and not at all after "key { ... }".
            SkipSpaces();
            if (Peek() == ',')
            {
                if (!commaMayFollow)
                    throw Problem("Akka's parser takes no comma after \"key { ... }\"; drop it or write \"key = { ... }\"");
                _at++;
            }
            else if (!AtEnd && Peek() is not ('\n' or '}'))
                throw Problem($"expected ',', a new line or '}}' after the value, found {Found()}");
        }
    }

    /// <returns>Whether a comma may follow the member.</returns>
    private bool Member()
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
                return false;
            case '=' or ':':
                _at++;
                SkipBlankLines();
                Value();
                return true;
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
                throw Problem("'[' is never closed", openedAt);
            if (Peek() == ']')
                break;
            Value();
            if (!SkipSeparator() && !AtEnd && Peek() != ']')
                throw Problem($"expected ',', a new line or ']' after the value, found {Found()}");
        }
        _at++;
        _depth--;
    }

    /// <summary>What may follow a list entry: new lines, one comma, or both ("a\n, b").</summary>
    private bool SkipSeparator()
    {
        SkipSpaces();
        var separated = Peek() == '\n';
        SkipBlankLines();
        if (Peek() != ',')
            return separated;
        _at++;
        return true;
    }

    private void Enter(int openedAt)
    {
        if (++_depth > MaxDepth)
            throw Problem($"nested more than {MaxDepth} levels deep", openedAt);
    }

    private SyntaxProblem Problem(string message, int? at = null) => new(message, at ?? _at);

    private sealed class SyntaxProblem(string message, int at) : Exception(message)
    {
        public int At { get; } = at;
    }
}
