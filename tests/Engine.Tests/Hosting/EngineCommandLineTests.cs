using System.CommandLine;
using Engine.Commands;
using Xunit;

namespace Engine.Tests.Hosting;

public class EngineCommandLineTests
{
    [Fact]
    public void Bare_engine_prints_the_help_and_builds_no_lab()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = EngineCommandLine.Build().Parse([]).Invoke(new InvocationConfiguration { Output = output, Error = error });

        // System.CommandLine's convention for a command that needs a subcommand: help, the reason, exit 1.
        Assert.Equal(1, exit);
        Assert.Contains("Usage:", output.ToString());
        Assert.Contains("run", output.ToString());
        Assert.Contains("Required command was not provided.", error.ToString());
    }

    [Fact]
    public void Run_takes_the_log_options()
    {
        var result = EngineCommandLine.Build().Parse(["run", "--config", "lab.hocon", "--log-level", "debug", "--log-format", "json"]);

        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Help_names_the_lab_commands_and_the_exit_codes()
    {
        var output = new StringWriter();

        EngineCommandLine.Build().Parse(["--help"]).Invoke(new InvocationConfiguration { Output = output });

        foreach (var command in new[] { "status", "routes", "stop" })
            Assert.Contains(command, output.ToString());
        Assert.Contains("3 lab not running", output.ToString());
    }

    [Theory]
    [InlineData("status", "--config", "lab.hocon", "--json")]
    [InlineData("routes", "--socket", "/run/engine/lab.sock")]
    [InlineData("stop", "--config", "lab.hocon")]
    [InlineData("capture", "tun-a", "-c", "10", "-w", "-", "--config", "lab.hocon")]
    [InlineData("run", "--config", "lab.hocon", "--ready-file", "/tmp/ready", "--wait-peer", "east", "--wait-peer", "west", "--detach")]
    public void The_control_commands_take_their_options(params string[] args)
    {
        Assert.Empty(EngineCommandLine.Build().Parse(args).Errors);
    }

    [Fact]
    public void Capture_s_c_is_the_count_as_in_tcpdump()
    {
        var result = EngineCommandLine.Build().Parse(["capture", "tun-a", "-c", "10", "--config", "lab.hocon"]);

        Assert.Empty(result.Errors);
        Assert.Equal(10L, result.GetValue<long?>("--count"));
        Assert.Equal("lab.hocon", result.GetValue<FileInfo>("--config")!.Name);
    }
}
