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

    private readonly HoconScanner _scan;
    private int _depth;

    private HoconSyntaxCheck(string text) => _scan = new HoconScanner(text);

    /// <summary>Null when the text is well formed, else "line L, column C: problem".</summary>
    public static string? FindProblem(string text)
    {
        var check = new HoconSyntaxCheck(text);
        try
        {
            check.Document();
            return null;
        }
        catch (HoconSyntaxProblem problem)
        {
            return $"{TextPosition.Describe(text, problem.At)}: {problem.Message}";
        }
    }

    private void Document()
    {
        _scan.SkipBlankLines();
        if (_scan.Peek() == '{')
        {
            Object();
            _scan.SkipBlankLines();
            if (!_scan.AtEnd)
                throw _scan.Problem($"expected nothing after the closing '}}', found {_scan.Found()}");
            return;
        }
        ObjectBody(openedAt: -1);
    }

    /// <summary>Members up to the matching '}', or to the end of the text for the root object.</summary>
    private void ObjectBody(int openedAt)
    {
        while (true)
        {
            _scan.SkipBlankLines();
            if (_scan.AtEnd)
            {
                if (openedAt >= 0)
                    throw _scan.Problem("'{' is never closed", openedAt);
                return;
            }
            if (_scan.Peek() == '}')
            {
                if (openedAt < 0)
                    throw _scan.Problem("'}' has nothing to close");
                _scan.Advance();
                return;
            }
            var commaMayFollow = Member();
            // Unlike in lists, Akka takes a comma between members only on the value's own line,
            // and not at all after "key { ... }".
            _scan.SkipSpaces();
            if (_scan.Peek() == ',')
            {
                if (!commaMayFollow)
                    throw _scan.Problem("Akka's parser takes no comma after \"key { ... }\"; drop it or write \"key = { ... }\"");
                _scan.Advance();
            }
            else if (!_scan.AtEnd && _scan.Peek() is not ('\n' or '}'))
                throw _scan.Problem($"expected ',', a new line or '}}' after the value, found {_scan.Found()}");
        }
    }

    /// <returns>Whether a comma may follow the member.</returns>
    private bool Member()
    {
        if (_scan.Sees("include") && char.IsWhiteSpace(_scan.PeekAt(7)))
            throw _scan.Problem("include is not supported: put the whole lab in one file");
        Key();
        _scan.SkipBlankLines();
        if (_scan.Sees("+="))
            throw _scan.Problem("'+=' is not supported; write the whole list");
        switch (_scan.Peek())
        {
            case '{':
                Object();
                return false;
            case '=' or ':':
                _scan.Advance();
                _scan.SkipBlankLines();
                Value();
                return true;
            default:
                throw _scan.Problem($"expected '=', ':' or '{{' after the key, found {_scan.Found()}");
        }
    }

    private void Key()
    {
        while (true)
        {
            if (_scan.Peek() == '"')
                _scan.QuotedString();
            else if (_scan.IsKeyChar())
                while (_scan.IsKeyChar() || (_scan.Peek() is ' ' or '\t' && _scan.NextNonSpaceIsKeyChar()))
                    _scan.Advance();
            else
                throw _scan.Problem($"expected a key, found {_scan.Found()}");
            if (_scan.Peek() != '.')
                return;
            _scan.Advance();
        }
    }

    /// <summary>One value: parts concatenated on one line ("10 s", "${a}/24", "[1] [2]").</summary>
    private void Value()
    {
        ValuePart();
        while (true)
        {
            _scan.SkipSpaces();
            if (_scan.StartsValue())
                ValuePart();
            else if (_scan.Peek() is ':' or '=')
                throw UnquotedSeparator();
            else
                return;
        }
    }

    private void ValuePart()
    {
        if (_scan.Sees("\"\"\""))
            _scan.TripleQuotedString();
        else if (_scan.Peek() == '"')
            _scan.QuotedString();
        else if (_scan.Sees("${"))
            _scan.Substitution();
        else if (_scan.Peek() == '[')
            List();
        else if (_scan.Peek() == '{')
            Object();
        else if (_scan.IsTextChar())
            while (_scan.IsTextChar())
                _scan.Advance();
        else
            throw _scan.Problem($"expected a value, found {_scan.Found()}");
    }

    private HoconSyntaxProblem UnquotedSeparator() =>
        _scan.Problem($"'{_scan.Peek()}' cannot appear in an unquoted value; put the value in quotes (IPv6 addresses need them)");

    private void Object()
    {
        var openedAt = _scan.Advance();
        Enter(openedAt);
        ObjectBody(openedAt);
        _depth--;
    }

    private void List()
    {
        var openedAt = _scan.Advance();
        Enter(openedAt);
        while (true)
        {
            _scan.SkipBlankLines();
            if (_scan.AtEnd)
                throw _scan.Problem("'[' is never closed", openedAt);
            if (_scan.Peek() == ']')
                break;
            Value();
            if (!SkipSeparator() && !_scan.AtEnd && _scan.Peek() != ']')
                throw _scan.Problem($"expected ',', a new line or ']' after the value, found {_scan.Found()}");
        }
        _scan.Advance();
        _depth--;
    }

    /// <summary>What may follow a list entry: new lines, one comma, or both ("a\n, b").</summary>
    private bool SkipSeparator()
    {
        _scan.SkipSpaces();
        var separated = _scan.Peek() == '\n';
        _scan.SkipBlankLines();
        if (_scan.Peek() != ',')
            return separated;
        _scan.Advance();
        return true;
    }

    private void Enter(int openedAt)
    {
        if (++_depth > MaxDepth)
            throw _scan.Problem($"nested more than {MaxDepth} levels deep", openedAt);
    }
}
