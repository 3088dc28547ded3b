using Xunit;

namespace Engine.Tests.Topology;

public class SettingsErrorTests
{
    [Theory]
    [InlineData("batch-size = 0", "engine.batch-size: must be a number from 1 to 1024, got 0")]
    [InlineData("batch-size = 2048", "engine.batch-size: must be a number from 1 to 1024, got 2048")]
    [InlineData("batch-size = many", "engine.batch-size: must be a number from 1 to 1024, got \"many\"")]
    [InlineData("dataplane-nice = 20", "engine.dataplane-nice: must be a number from -20 to 19, got 20")]
    [InlineData("dataplane-nice = low", "engine.dataplane-nice: must be a number from -20 to 19, got \"low\"")]
    [InlineData("flood-nice = 20", "engine.flood-nice: must be a number from -20 to 19, got 20")]
    [InlineData("dataplane-realtime = 100", "engine.dataplane-realtime: must be a number from 0 to 99, got 100")]
    [InlineData("dataplane-realtime = -1", "engine.dataplane-realtime: must be a number from 0 to 99, got -1")]
    [InlineData("busy-poll = 1s", "engine.busy-poll: must be at most 10ms, got \"1s\"")]
    [InlineData("busy-poll = eager", "engine.busy-poll: must be a duration like 1s or 500ms, got \"eager\"")]
    [InlineData("dataplane-nice = 4, flood-nice = 3", "engine.flood-nice: must not be below dataplane-nice (4), got 3")]
    [InlineData("node-name = \"\"", "engine.node-name: must be 1 to 64 bytes long, got 0")]
    [InlineData("node-name = \"0123456789012345678901234567890123456789012345678901234567890123456789\"", "engine.node-name: must be 1 to 64 bytes long, got 70")]
    [InlineData("batch-size = 99999999999999999999", "engine.batch-size: must be a number from 1 to 1024, got 99999999999999999999")]
    [InlineData("batch-size = { size = 1 }", "engine.batch-size: must be a number from 1 to 1024, got an object")]
    [InlineData("counters-interval = soon", "engine.counters-interval: must be a duration like 10s, or off, got \"soon\"")]
    [InlineData("counters-interval = 10fortnights", "engine.counters-interval: must be a duration like 10s, or off, got \"10fortnights\"")]
    [InlineData("counters-interval = -5s", "engine.counters-interval: must be a duration like 10s, or off, got \"-5s\"")]
    [InlineData("counters-interval = 500ms", "engine.counters-interval: must be at least 1s (or 0 or off to disable), got \"500ms\"")]
    [InlineData("counters-interval = 10",
        "engine.counters-interval: must be at least 1s (or 0 or off to disable), got 10 (a number without a unit means milliseconds)")]
    [InlineData("counters-interval = 2d", "engine.counters-interval: must be at most 1d, got \"2d\"")]
    [InlineData("counters-interval = [10s]", "engine.counters-interval: must be a duration like 10s, or off, got a list")]
    [InlineData("log-file = \"\"", "engine.log-file: must name a file")]
    [InlineData("log-file = \"/var/log/\"", "engine.log-file: \"/var/log/\" names a directory; name the log file itself")]
    [InlineData("log-file = [a, b]", "engine.log-file: must be a file path, got a list")]
    [InlineData("log-level = loud", "engine.log-level: must be one of verbose, debug, information, warning, error, got \"loud\"")]
    [InlineData("log-level = fatal", "engine.log-level: must be one of verbose, debug, information, warning, error, got \"fatal\"")]
    [InlineData("log-level = [debug]", "engine.log-level: must be one of verbose, debug, information, warning, error, got a list")]
    [InlineData("log-format = xml", "engine.log-format: must be one of text, json, got \"xml\"")]
    [InlineData("control { socket = \"run/lab.sock\" }", "engine.control.socket: must be an absolute path to a socket file, got \"run/lab.sock\"")]
    [InlineData("control { socket = \"/run/\" }", "engine.control.socket: must be an absolute path to a socket file, got \"/run/\"")]
    [InlineData("control { socket = \"/run/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.sock\" }",
        "engine.control.socket: must be at most 107 bytes long (a Unix socket's path), got 114")]
    [InlineData("control { path = \"/run/x.sock\" }", "engine.control.path: unknown key")]
    [InlineData("control = \"/run/x.sock\"", "engine.control: must be an object, got \"/run/x.sock\"")]
    [InlineData("colour = blue", "engine.colour: unknown key")]
    [InlineData("device = []", "engine.device: unknown key")]
    [InlineData("\"batch.size\" = 1", "engine.\"batch.size\": unknown key")]
    public void Setting_error_is_reported_with_its_path(string setting, string expected) =>
        Assert.Equal(Lab.Lines(expected), Lab.Errors(Lab.WithRoutes("", setting)));
}
