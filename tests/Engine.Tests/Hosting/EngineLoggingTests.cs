using System.Text.Json;
using System.Text.RegularExpressions;
using Engine.Actors.Topology;
using Engine.Hosting;
using Serilog.Events;
using Xunit;

namespace Engine.Tests.Hosting;

public sealed class EngineLoggingTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"engine-logging-{Guid.NewGuid():N}.log");

    public void Dispose() => File.Delete(_file);

    [Fact]
    public void Json_format_writes_one_compact_json_object_a_line_with_the_rendered_message_and_its_properties()
    {
        var lines = Write(LogFormat.Json, LogEventLevel.Information);

        var line = Assert.Single(lines);
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.True(DateTimeOffset.TryParse(root.GetProperty("@t").GetString(), out _));
        Assert.Equal("port \"tun-a\": 12 pkts", root.GetProperty("@m").GetString());
        Assert.Equal("Warning", root.GetProperty("@l").GetString());
        Assert.Equal(12, root.GetProperty("Packets").GetInt32());
    }

    [Fact]
    public void Text_in_the_file_carries_the_date_and_time()
    {
        var line = Assert.Single(Write(LogFormat.Text, LogEventLevel.Information));

        Assert.Matches(new Regex(@"^\[\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2} WRN\] port tun-a: 12 pkts$"), line);
    }

    [Fact]
    public void Debug_level_lets_debug_events_through()
    {
        var lines = Write(LogFormat.Text, LogEventLevel.Debug);

        Assert.Equal(2, lines.Length);
        Assert.Contains(" DBG] redial", lines[0]);
    }

    [Theory]
    [InlineData(LogEventLevel.Verbose, "DEBUG")]
    [InlineData(LogEventLevel.Debug, "DEBUG")]
    [InlineData(LogEventLevel.Information, "INFO")]
    [InlineData(LogEventLevel.Warning, "WARNING")]
    [InlineData(LogEventLevel.Error, "ERROR")]
    public void Akka_filters_at_the_engine_level_and_its_minimal_logger_writes_through_serilog(LogEventLevel level, string akka) =>
        Assert.Equal($"akka.loglevel = {akka}\nakka.stdout-loglevel = {akka}\nakka.stdout-logger-class = \"Engine.Hosting.SerilogMinimalLogger, engine\"",
            EngineLogging.AkkaLogSettings(EngineSettings.Default with { LogLevel = level }));

    [Fact]
    public void The_formatter_follows_the_format()
    {
        Assert.IsType<Serilog.Formatting.Compact.RenderedCompactJsonFormatter>(EngineLogging.JsonFormatterFor(LogFormat.Json));
        Assert.Null(EngineLogging.JsonFormatterFor(LogFormat.Text));
    }

    /// <summary>A debug event and a warning through a logger of the given settings; the log file's lines.</summary>
    private string[] Write(LogFormat format, LogEventLevel level)
    {
        using (var logger = EngineLogging.CreateLogger(EngineSettings.Default with { LogFile = _file, LogFormat = format, LogLevel = level }))
        {
            logger.Debug("redial in {DelayMs} ms", 100);
            logger.Warning("port {Port}: {Packets} pkts", "tun-a", 12);
        }
        return File.ReadAllLines(_file);
    }
}
