using Xunit;

namespace Engine.Tests.Topology;

/// <summary>
/// Malformed text gives one line naming the source, line and column. Several of these inputs
/// made Akka's parser loop forever while allocating; they must now come back with an error.
/// </summary>
public class SyntaxErrorTests
{
    [Theory]
    [InlineData("engine {\n  devices = [ { name = tun-a, type = tun, address = fd00::1/64 } ]\n}",
        "lab.hocon: line 2, column 57: ':' cannot appear in an unquoted value; put the value in quotes (IPv6 addresses need them)")]
    [InlineData("engine {\n  log-file = a=b\n}",
        "lab.hocon: line 2, column 15: '=' cannot appear in an unquoted value; put the value in quotes (IPv6 addresses need them)")]
    [InlineData("engine { x = [1, 2 }",
        "lab.hocon: line 1, column 20: expected ',', a new line or ']' after the value, found '}'")]
    [InlineData("engine {\n  devices = [\n    = { name = tun-a }\n  ]\n}",
        "lab.hocon: line 3, column 5: expected a value, found '='")]
    [InlineData("engine {\n  routes = [\n    { prefix = \"10.0.1.0/24\", via = tun-a }\n  :]\n}",
        "lab.hocon: line 4, column 3: expected a value, found ':'")]
    [InlineData("engine {\n  devices = [\n    { name = tun-a, type = tun, mtu = 1500 # }\n    { name = tun-b }\n  ]\n}",
        "lab.hocon: line 4, column 5: expected a key, found '{'")]
    [InlineData("engine {\n  devices = [ $\"x\" ]\n}", "lab.hocon: line 2, column 15: expected a value, found '$'")]
    [InlineData("engine {\n  devices = []\n", "lab.hocon: line 1, column 8: '{' is never closed")]
    [InlineData("engine {\n  devices = [\n", "lab.hocon: line 2, column 13: '[' is never closed")]
    [InlineData("engine { devices = [] }\n}", "lab.hocon: line 2, column 1: '}' has nothing to close")]
    [InlineData("engine { log-file = \"/var/log/engine.log }", "lab.hocon: line 1, column 21: string is not closed on its line")]
    [InlineData("engine { log-file = \"a\\qb\" }", "lab.hocon: line 1, column 23: unknown escape '\\q' in a string")]
    [InlineData("engine { log-file = \"\"\"never closed }", "lab.hocon: line 1, column 21: triple-quoted string is never closed")]
    [InlineData("engine { log-file = ${?LOG_FILE} }", "lab.hocon: line 1, column 21: a substitution must be ${path.to.key}, with no spaces or '?'")]
    [InlineData("engine { log-file = ${ lab.x } }", "lab.hocon: line 1, column 21: a substitution must be ${path.to.key}, with no spaces or '?'")]
    [InlineData("include \"common.conf\"\nengine { }", "lab.hocon: line 1, column 1: include is not supported: put the whole lab in one file")]
    [InlineData("engine { routes += { prefix = \"0.0.0.0/0\", via = tun-a } }", "lab.hocon: line 1, column 17: '+=' is not supported; write the whole list")]
    [InlineData("engine { routes+= [] }", "lab.hocon: line 1, column 16: '+=' is not supported; write the whole list")]
    [InlineData("engine { devices [ ] }", "lab.hocon: line 1, column 18: expected '=', ':' or '{' after the key, found '['")]
    [InlineData("engine { , }", "lab.hocon: line 1, column 10: expected a key, found ','")]
    [InlineData("akka { loglevel = INFO }, engine { }",
        "lab.hocon: line 1, column 25: Akka's parser takes no comma after \"key { ... }\"; drop it or write \"key = { ... }\"")]
    [InlineData("engine {\n  batch-size = 1\n  , devices = []\n}", "lab.hocon: line 3, column 3: expected a key, found ','")]
    [InlineData("{ engine { } } x = 1", "lab.hocon: line 1, column 16: expected nothing after the closing '}', found 'x'")]
    public void Syntax_error_gives_one_line_with_its_position(string text, string expected) =>
        Assert.Equal([expected], Lab.Errors(text, "lab.hocon"));

    [Fact]
    public void Nesting_beyond_the_limit_is_refused_before_it_can_exhaust_the_stack()
    {
        // The engine object is the first level, so the 64th '[' is the 65th level.
        var text = "engine { x = " + new string('[', 100_000) + new string(']', 100_000) + " }";
        Assert.Equal(["config: line 1, column 77: nested more than 64 levels deep"], Lab.Errors(text));
    }
}
