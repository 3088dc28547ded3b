using System.Net.Sockets;
using System.Text;
using Engine.Commands;
using Xunit;

namespace Engine.Tests.Hosting;

/// <summary>`engine status`, `routes` and `stop` without a lab: how they find the socket and which exit code each failure gets.</summary>
public sealed class LabRequestCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("engine-cli-").FullName;

    [Fact]
    public void No_socket_is_exit_code_3_lab_not_running()
    {
        var error = new StringWriter();

        var exit = LabRequestCommand.Execute("status", new FileInfo("unused.hocon"), Path.Combine(_directory, "none.sock"), json: false, new StringWriter(), error);

        Assert.Equal(3, exit);
        Assert.Contains("lab not running", error.ToString());
    }

    [Fact]
    public void A_socket_file_nobody_serves_is_exit_code_3()
    {
        var path = Path.Combine(_directory, "stale.sock");
        using var dead = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        dead.Bind(new UnixDomainSocketEndPoint(path));

        Assert.Equal(3, LabRequestCommand.Execute("routes", new FileInfo("unused.hocon"), path, json: false, new StringWriter(), new StringWriter()));
    }

    [Fact]
    public void A_missing_or_bad_lab_file_is_exit_code_2()
    {
        var bad = Path.Combine(_directory, "bad.hocon");
        File.WriteAllText(bad, "engine { devices = 3 }");
        var error = new StringWriter();

        Assert.Equal(2, LabRequestCommand.Execute("status", new FileInfo(Path.Combine(_directory, "missing.hocon")), null, false, new StringWriter(), error));
        Assert.Contains("no such lab file", error.ToString());
        Assert.Equal(2, LabRequestCommand.Execute("status", new FileInfo(bad), null, false, new StringWriter(), new StringWriter()));
    }

    [Fact]
    public void The_socket_is_found_from_the_lab_file()
    {
        var lab = Path.Combine(_directory, "west.hocon");
        File.WriteAllText(lab, "engine { devices = [ { name = tun-a, type = tun } ] }");
        var custom = Path.Combine(_directory, "custom.hocon");
        File.WriteAllText(custom, "engine { control { socket = \"/tmp/x/custom.sock\" }\n devices = [ { name = tun-a, type = tun } ] }");

        Assert.Equal("/run/engine/west.sock", LabRequestCommand.SocketOf(new FileInfo(lab), null, new StringWriter()));
        Assert.Equal("/tmp/x/custom.sock", LabRequestCommand.SocketOf(new FileInfo(custom), null, new StringWriter()));
        Assert.Equal("/elsewhere.sock", LabRequestCommand.SocketOf(new FileInfo(custom), "/elsewhere.sock", new StringWriter()));
    }

    [Theory]
    [InlineData("{\"ok\":false,\"kind\":\"bad-request\",\"error\":\"unknown command\"}", 2)]
    [InlineData("{\"ok\":false,\"kind\":\"failed\",\"error\":\"the lab did not answer\"}", 1)]
    [InlineData("not json at all", 1)]
    public async Task An_error_answer_is_exit_code_2_for_a_bad_request_and_1_otherwise(string answer, int expected)
    {
        var path = Path.Combine(_directory, "engine.sock");
        using var server = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        server.Bind(new UnixDomainSocketEndPoint(path));
        server.Listen(1);
        var serving = Task.Run(() =>
        {
            using var client = server.Accept();
            client.Receive(new byte[256]);
            client.Send(Encoding.UTF8.GetBytes(answer + "\n"));
        });
        var error = new StringWriter();

        var exit = LabRequestCommand.Execute("status", new FileInfo("unused.hocon"), path, json: false, new StringWriter(), error);

        await serving.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(expected, exit);
        Assert.NotEmpty(error.ToString());
    }

    [Fact]
    public void Detach_starts_the_same_command_without_detach_and_with_a_ready_file()
    {
        Assert.Equal(["/opt/engine.dll", "run", "--config", "lab.hocon", "--ready-file", "/tmp/r.json"],
            DetachCommand.ChildArguments(["/opt/engine.dll", "run", "--detach", "--config", "lab.hocon"], "/usr/bin/dotnet", "/tmp/r.json"));
        Assert.Equal(["run", "--config", "lab.hocon", "--ready-file", "mine.json"],
            DetachCommand.ChildArguments(["/opt/engine.dll", "run", "--config", "lab.hocon", "--detach", "--ready-file", "mine.json"], "/opt/engine", null));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
