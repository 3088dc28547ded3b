using Engine.Actors.Topology;
using Xunit;

namespace Engine.Tests.Topology;

public sealed class DurationTextTests
{
    [Theory]
    [InlineData("10s", 10_000_000)]
    [InlineData("500ms", 500_000)]
    [InlineData("500", 500_000)] // a bare number means milliseconds
    [InlineData("200us", 200)]
    [InlineData("1.5 micros", 1.5)]
    [InlineData("2m", 120_000_000)]
    public void Parses_a_number_with_its_unit(string text, double microseconds)
    {
        Assert.True(DurationText.TryParse(text, out var duration, out _));
        Assert.Equal(TimeSpan.FromMicroseconds(microseconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("5 fortnights")]
    [InlineData("-5s")]
    public void Refuses_what_is_not_a_duration(string text) => Assert.False(DurationText.TryParse(text, out _, out _));

    [Theory]
    [InlineData(90_000_000, "90s")]
    [InlineData(3_600_000_000, "1h")]
    [InlineData(250_000, "250ms")]
    [InlineData(50, "50us")]
    [InlineData(1_500, "1500us")]
    public void Formats_the_shortest_exact_form(double microseconds, string text) =>
        Assert.Equal(text, DurationText.Format(TimeSpan.FromMicroseconds(microseconds)));
}
