using Engine.Actors.Topology;
using Engine.Commands;
using Serilog.Events;
using Xunit;

namespace Engine.Tests.Hosting;

public class LogOptionsTests
{
    private static readonly EngineSettings Lab = EngineSettings.Default with { LogLevel = LogEventLevel.Warning, LogFormat = LogFormat.Json };

    [Fact]
    public void Options_win_over_the_lab_keys()
    {
        var errors = new StringWriter();
        var settings = new LogOptions("debug", "text").ApplyTo(Lab, errors);

        Assert.Equal((LogEventLevel.Debug, LogFormat.Text), (settings!.LogLevel, settings.LogFormat));
        Assert.Empty(errors.ToString());
    }

    [Fact]
    public void Options_left_out_keep_the_lab_keys() =>
        Assert.Equal(Lab, new LogOptions(null, null).ApplyTo(Lab, TextWriter.Null));

    [Fact]
    public void Bad_values_are_refused_one_line_each_with_the_option_as_path()
    {
        var errors = new StringWriter();

        Assert.Null(new LogOptions("loud", "xml").ApplyTo(Lab, errors));
        Assert.Equal(
            ["--log-level: must be one of verbose, debug, information, warning, error, got \"loud\"", "--log-format: must be one of text, json, got \"xml\""],
            errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
