using System.Text;
using Engine.Actors.Control;
using Xunit;

namespace Engine.Tests.Control;

public class LineBufferTests
{
    [Fact]
    public void Lines_come_whole_whatever_pieces_they_arrive_in()
    {
        var lines = new LineBuffer(64);
        foreach (var piece in new[] { "{\"comm", "and\":1}\r\n\n{\"a\"", ":2}\nrest" })
            lines.Append(Encoding.UTF8.GetBytes(piece));

        Assert.Equal(["{\"command\":1}", "{\"a\":2}"], Taken(lines));
        lines.Append("\n"u8);
        Assert.Equal(["rest"], Taken(lines));
        Assert.False(lines.Overflowed);
    }

    [Fact]
    public void A_line_longer_than_the_limit_overflows_and_holds_no_more()
    {
        var lines = new LineBuffer(8);
        lines.Append("12345678\n"u8);
        lines.Append("123456789"u8);

        Assert.True(lines.Overflowed);
        Assert.Equal(["12345678"], Taken(lines));
        lines.Append("\n{}\n"u8);
        Assert.Empty(Taken(lines));
    }

    private static List<string> Taken(LineBuffer lines)
    {
        var taken = new List<string>();
        while (lines.TryTake(out var line)) taken.Add(Encoding.UTF8.GetString(line));
        return taken;
    }
}
