using Engine.Actors.Topology;
using Xunit;

namespace Engine.Tests.Topology;

/// <summary>The syntax check must accept everything a lab file legitimately writes, or it would
/// refuse files Akka reads correctly.</summary>
public class HoconSyntaxCheckTests
{
    [Theory]
    [InlineData("")]
    [InlineData("a = 1")]
    [InlineData("a : 1\nb = 2,\nc = 3")]
    [InlineData("a { b { c = 1 } }")]
    [InlineData("a\n{\n  b = 1\n}")]
    [InlineData("{ a = 1 }")]
    [InlineData("a.b.c = x")]
    [InlineData("\"a.b\" = x")]
    [InlineData("a = [1, 2, 3]")]
    [InlineData("a = [1, 2, 3,]")]
    [InlineData("a = [\n  1\n  2\n]")]
    [InlineData("a = [[1], [2]]")]
    [InlineData("a = [{ x = 1 }, { y = 2 }]")]
    [InlineData("a = 10 s")]
    [InlineData("a = foo\"bar\"")]
    [InlineData("a = \"x\" \"y\"")]
    [InlineData("a = \"\"\"multi\nline\"\"\"")]
    [InlineData("a = \"esc \\\" \\\\ \\n \\u00e9\"")]
    [InlineData("a = 1 # comment\nb = 2 // comment")]
    [InlineData("# leading comment\n// another\na = 1")]
    [InlineData("a = 1\r\nb = [\r\n 2\r\n]\r\n")]
    [InlineData("a = x\nb = ${a}\nc = ${a}/24\nd = [${a}]")]
    [InlineData("log = /var/log/engine.log")]
    [InlineData("a = -1.5e3")]
    [InlineData("a = tun%d")]
    [InlineData("a = null\nb = true")]
    [InlineData("a = []\nb = {}")]
    [InlineData("foo bar = 1")]
    public void Well_formed_text_passes(string text) => Assert.Null(HoconSyntaxCheck.FindProblem(text));
}
