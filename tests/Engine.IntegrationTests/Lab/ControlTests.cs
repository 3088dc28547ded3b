using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// The control socket and the CLI on a real engine: `status`, `routes` (tables and --json), a
/// client sending garbage, `stop`, `run --detach`, `--ready-file` and sd_notify, each through the
/// engine binary as a script would use it.
/// </summary>
[Collection("engine")]
public sealed class ControlTests(ITestOutputHelper output)
{
    private const int Subnet = 141;

    /// <summary>Two hosts on tuns, their subnets connected routes, and one static route through h2.</summary>
    private static string TwoHosts(TestLab lab, string settings = "") => $$"""
        engine {
          counters-interval = off
          {{settings}}
          devices = [
            { name = {{lab.Device("h1")}}, type = tun, namespace = {{lab.Namespace("h1")}}, address = ["10.{{Subnet}}.1.1/24"], gateway = ["10.{{Subnet}}.1.254"] }
            { name = {{lab.Device("h2")}}, type = tun, namespace = {{lab.Namespace("h2")}}, address = ["10.{{Subnet}}.2.1/24"], gateway = ["10.{{Subnet}}.2.254"] }
          ]
          routes = [ { prefix = "10.{{Subnet}}.9.0/24", via = {{lab.Device("h2")}} } ]
        }
        """;

    [IntegrationFact]
    public void Status_shows_the_ports_and_their_counters_move_after_a_ping()
    {
        using var lab = new TestLab(output.WriteLine);
        var engine = lab.Start(TwoHosts(lab));
        var before = engine.Status().Port(lab.Device("h1"));
        Assert.Equal(("tun", "up", lab.Namespace("h1"), 1500), (before.Kind, before.State, before.Namespace, before.Mtu));

        Ping(lab, 3);

        var status = engine.Status();
        Assert.True(status.Port(lab.Device("h1")).Rx.Packets >= before.Rx.Packets + 3, $"rx did not move: {status.Port(lab.Device("h1"))}");
        Assert.True(status.Port(lab.Device("h2")).Tx.Packets >= 3);
        Assert.True(status.Router.Forwarded >= 6);

        var table = engine.Cli("status");
        output.WriteLine(table.All);
        Assert.Equal(0, table.ExitCode);
        Assert.Contains(lab.Device("h1"), table.Output);
        Assert.Contains("router: forwarded", table.Output);
    }

    [IntegrationFact]
    public void Routes_lists_the_connected_and_static_routes()
    {
        using var lab = new TestLab(output.WriteLine);
        var engine = lab.Start(TwoHosts(lab));

        var json = engine.Cli("routes --json");
        output.WriteLine(json.All);
        Assert.Equal(0, json.ExitCode);
        var routes = JsonDocument.Parse(json.Output).RootElement.GetProperty("routes").EnumerateArray()
            .ToDictionary(r => r.GetProperty("prefix").GetString()!);
        Assert.Equal("connected", routes[$"10.{Subnet}.1.0/24"].GetProperty("source").GetString());
        Assert.Equal("connected", routes[$"10.{Subnet}.2.0/24"].GetProperty("source").GetString());
        var route = routes[$"10.{Subnet}.9.0/24"];
        Assert.Equal("static", route.GetProperty("source").GetString());
        Assert.Equal(lab.Device("h2"), route.GetProperty("via").GetProperty("port").GetString());
        Assert.True(route.GetProperty("active").GetBoolean());

        var table = engine.Cli("routes");
        output.WriteLine(table.All);
        Assert.Equal(0, table.ExitCode);
        Assert.Contains($"10.{Subnet}.9.0/24", table.Output);
    }

    [IntegrationFact]
    public void A_client_sending_garbage_gets_an_error_and_the_engine_keeps_forwarding()
    {
        using var lab = new TestLab(output.WriteLine);
        var engine = lab.Start(TwoHosts(lab));
        var socket = engine.SocketPath();

        using (var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { ReceiveTimeout = 5000 })
        {
            client.Connect(new UnixDomainSocketEndPoint(socket));
            client.Send(Encoding.UTF8.GetBytes("\u0001\u0002 not json {{{\n"));
            var answer = JsonDocument.Parse(ReadLine(client)).RootElement;
            Assert.False(answer.GetProperty("ok").GetBoolean());
            Assert.Equal("bad-request", answer.GetProperty("kind").GetString());
            client.Send(new byte[100_000]); // a line past the limit: refused, the session ends
        }

        Ping(lab, 2);
        Assert.Equal(0, engine.Cli("status").ExitCode);
        Assert.False(engine.HasExited);
    }

    [IntegrationFact]
    public void Stop_ends_the_lab_and_the_socket_file_is_gone()
    {
        using var lab = new TestLab(output.WriteLine);
        var engine = lab.Start(TwoHosts(lab));
        var socket = engine.SocketPath();
        Assert.True(File.Exists(socket));

        var stop = engine.Cli("stop");
        output.WriteLine(stop.All);

        Assert.Equal(0, stop.ExitCode);
        Assert.True(engine.WaitForExit(TimeSpan.FromSeconds(20)), "the engine did not stop");
        Assert.Equal(0, engine.ExitCode);
        Assert.False(File.Exists(socket));
        Assert.DoesNotContain(lab.Namespace("h1"), Shell.Namespaces());
        Assert.Equal(3, engine.Cli("status").ExitCode);
    }

    [IntegrationFact]
    public void Detach_returns_the_pid_socket_and_ports_once_the_lab_pings()
    {
        using var lab = new TestLab();
        var config = Path.Combine(Path.GetTempPath(), $"engine-detach-{lab.Id}.hocon");
        File.WriteAllText(config, TwoHosts(lab));
        int? pid = null;
        try
        {
            var detach = EngineCli.Run($"run --detach --config {config}");
            output.WriteLine(detach.All);
            Assert.Equal(0, detach.ExitCode);
            var started = LabReady.Parse(detach.Output);
            pid = started.Pid;
            Assert.Equal($"/run/engine/engine-detach-{lab.Id}.sock", started.Socket);
            Assert.Equal([lab.Device("h1"), lab.Device("h2")], started.Ports);

            Ping(lab, 2);

            Assert.Equal(0, EngineCli.Run($"stop --config {config}").ExitCode);
            // stop returns once the socket is gone, the last thing the engine removes before its process ends.
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (Directory.Exists($"/proc/{pid}") && DateTime.UtcNow < deadline) Thread.Sleep(50);
            Assert.False(Directory.Exists($"/proc/{pid}"), "the detached engine is still running after stop");
            Assert.DoesNotContain(lab.Namespace("h1"), Shell.Namespaces());
        }
        finally
        {
            if (pid is { } running && Directory.Exists($"/proc/{running}")) Shell.Run("kill", $"-TERM {running}");
            File.Delete(config);
        }
    }

    [IntegrationFact]
    public void The_ready_file_appears_once_the_lab_is_up_and_goes_with_it()
    {
        using var lab = new TestLab();
        var ready = Path.Combine(Path.GetTempPath(), $"engine-ready-{lab.Id}.json");
        using var engine = EngineProcess.Start(TwoHosts(lab), command: $"run --ready-file {ready}");

        engine.WaitForLog("lab ready", TimeSpan.FromSeconds(10));
        var content = JsonDocument.Parse(File.ReadAllText(ready)).RootElement;
        Assert.Equal(engine.Pid, content.GetProperty("pid").GetInt32());
        Assert.Equal(engine.SocketPath(), content.GetProperty("socket").GetString());

        Assert.Equal(0, engine.Terminate());
        Assert.False(File.Exists(ready));
    }

    [IntegrationFact]
    public void Sd_notify_ready_and_stopping_arrive_on_the_notify_socket()
    {
        using var lab = new TestLab();
        var name = Path.Combine(Path.GetTempPath(), $"engine-notify-{lab.Id}");
        using var systemd = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified) { ReceiveTimeout = 30_000 };
        systemd.Bind(new UnixDomainSocketEndPoint(name));
        try
        {
            using var engine = EngineProcess.Start(TwoHosts(lab), environment: new Dictionary<string, string>
            {
                ["NOTIFY_SOCKET"] = name,
                ["WATCHDOG_USEC"] = "1000000",
            });

            var states = new List<string>();
            var buffer = new byte[256];
            while (!states.Contains("WATCHDOG=1"))
                states.Add(Encoding.UTF8.GetString(buffer, 0, systemd.Receive(buffer)));
            Assert.Equal("READY=1", states[0]);

            engine.Terminate();
            systemd.ReceiveTimeout = 10_000;
            while (states[^1] != "STOPPING=1")
                states.Add(Encoding.UTF8.GetString(buffer, 0, systemd.Receive(buffer)));
            output.WriteLine(string.Join(", ", states));
        }
        finally
        {
            File.Delete(name);
        }
    }

    [IntegrationFact]
    public void Wait_peer_holds_readiness_until_the_peer_is_up_and_status_shows_the_peer()
    {
        using var lab = new TestLab();
        var port = MeshConfigs.FreePort();
        var ready = Path.Combine(Path.GetTempPath(), $"engine-ready-{lab.Id}.json");
        var peers = $"peers = [ {{ name = ctl, role = controller, transport = tcp, listen = \"127.0.0.1:{port}\", framing = engine }} ]";
        using var engine = EngineProcess.Start(TwoHosts(lab, peers), command: $"run --ready-file {ready} --wait-peer ctl");
        try
        {
            var waiting = engine.Status().Port("ctl");
            Assert.Equal(("listening", "engine"), (waiting.State, waiting.Framing));
            Assert.False(File.Exists(ready), "ready before the peer it waits for was up");

            using var controller = new Background("python3", $"-u {Path.Combine(Repository.Root, "tools/controller_example.py")} --connect 127.0.0.1:{port} --name ctl --count 1000 --timeout 30");
            engine.WaitForLog("lab ready", TimeSpan.FromSeconds(15));
            Assert.True(File.Exists(ready));

            var up = engine.Status().Port("ctl");
            Assert.Equal("up", up.State);
            Assert.Contains("127.0.0.1", up.Remote);
            Assert.True(up.LastHeardMs >= 0);
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void Another_user_is_refused_by_the_control_socket()
    {
        using var lab = new TestLab(output.WriteLine);
        var engine = lab.Start(TwoHosts(lab));
        var socket = engine.SocketPath();
        // Past the file's mode, as a group grant would let them: the engine still asks the kernel who connected.
        File.SetUnixFileMode(socket, (UnixFileMode)0b110_110_110);

        var nobody = Shell.Run("setpriv", $"--reuid=65534 --regid=65534 --clear-groups socat -u UNIX-CONNECT:{socket} -");
        output.WriteLine(nobody.All);

        Assert.Contains("\"ok\":false", nobody.Output);
        Assert.Contains("user 65534 may not control this engine", nobody.Output);
        // The refusal is logged through the engine's logger, which may write it after the client has its answer.
        engine.WaitForLog("refused user 65534", TimeSpan.FromSeconds(5));
        Assert.Equal(0, engine.Cli("status").ExitCode);
    }

    [IntegrationFact]
    public void A_group_the_lab_grants_may_use_the_control_socket_and_other_users_still_may_not()
    {
        using var lab = new TestLab(output.WriteLine);
        var engine = lab.Start(TwoHosts(lab, "control { group = nogroup }"));
        var socket = engine.SocketPath();
        var mode = File.GetUnixFileMode(socket);
        Assert.Equal((UnixFileMode)0b110_110_000, mode);
        Assert.Equal("65534", Shell.Run("stat", $"-c %g {socket}").Output.Trim());

        var member = Shell.Run("setpriv", $"--reuid=65534 --regid=65534 --clear-groups sh -c \"echo '{{\\\"command\\\":\\\"status\\\"}}' | socat - UNIX-CONNECT:{socket}\"");
        output.WriteLine(member.All);
        Assert.Contains("\"ok\":true", member.Output);

        var stranger = Shell.Run("setpriv", $"--reuid=65534 --regid=65533 --clear-groups socat -u UNIX-CONNECT:{socket} -");
        output.WriteLine(stranger.All);
        // The file's mode keeps a non-member out before the engine is asked.
        Assert.DoesNotContain("\"ok\":true", stranger.All);
    }

    private void Ping(TestLab lab, int count)
    {
        var ping = Shell.InNamespace(lab.Namespace("h1"), $"ping -n -c {count} -i 0.2 -W 2 10.{Subnet}.2.1");
        output.WriteLine(ping.All);
        Assert.Equal(0, ping.ExitCode);
    }

    private static string ReadLine(Socket socket)
    {
        var line = new List<byte>();
        var one = new byte[1];
        while (socket.Receive(one) == 1 && one[0] != '\n') line.Add(one[0]);
        return Encoding.UTF8.GetString(line.ToArray());
    }
}
