using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Akka.Actor;
using Akka.Actor.Dsl;
using Akka.TestKit.Xunit2;
using Engine.Actors.Control;
using Engine.Actors.Lab;
using Engine.Actors.Router;
using Xunit;

namespace Engine.Tests.Control;

/// <summary>The control server on a real Unix socket, in front of stand-ins for the lab, router and port actors.</summary>
public sealed class ControlServerTests : TestKit
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"engine-ctl-{Guid.NewGuid():N}.sock");
    private readonly IActorRef _server;

    public ControlServerTests()
    {
        var ports = Sys.ActorOf(dsl => dsl.Receive<GetPortState>((_, context) => context.Sender.Tell(new PortState("up"))));
        var router = Sys.ActorOf(dsl => dsl.Receive<GetRouterView>((_, context) => context.Sender.Tell(ControlLab.Router)));
        var view = ControlLab.View(router, ports);
        var lab = Sys.ActorOf(dsl => dsl.Receive<GetLabView>((_, context) => context.Sender.Tell(view)));
        _server = Sys.ActorOf(ControlServer.Props(ControlListener.Open(_path), _path, lab));
    }

    [Fact]
    public void The_socket_is_mode_0600()
    {
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_path));
    }

    [Fact]
    public void Garbage_gets_an_error_and_the_same_session_answers_the_next_request()
    {
        using var client = Connect();
        Send(client, "this is not json\n{\"command\":\"status\"}\n");

        var error = ReadAnswer(client);
        Assert.False(error.GetProperty("ok").GetBoolean());
        Assert.Equal("bad-request", error.GetProperty("kind").GetString());
        var status = ReadAnswer(client);
        Assert.True(status.GetProperty("ok").GetBoolean());
        Assert.Equal(3, status.GetProperty("ports").GetArrayLength());
    }

    [Fact]
    public void A_line_past_the_limit_gets_an_error_and_the_session_ends_while_others_go_on()
    {
        using var flooder = Connect();
        Send(flooder, new string('x', ControlSession.MaxLine + 10));

        var error = ReadAnswer(flooder);
        Assert.Contains("longer than", error.GetProperty("error").GetString());
        Assert.Equal(0, flooder.Receive(new byte[16])); // closed

        using var client = Connect();
        Send(client, "{\"command\":\"routes\"}\n");
        Assert.True(ReadAnswer(client).GetProperty("ok").GetBoolean());
    }

    [Fact]
    public void A_client_that_never_reads_costs_only_itself()
    {
        using var silent = Connect();
        // Requests without reading a single answer: the session stops reading once its answer cannot go out.
        var request = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"command\":\"status\"}\n", 64)));
        silent.Blocking = false;
        try
        {
            for (var i = 0; i < 2000; i++) silent.Send(request);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
        {
        }

        using var client = Connect();
        Send(client, "{\"command\":\"routes\"}\n");
        Assert.True(ReadAnswer(client).GetProperty("ok").GetBoolean());
    }

    [Fact]
    public void The_socket_file_is_removed_when_the_server_stops()
    {
        Watch(_server);
        Sys.Stop(_server);
        ExpectTerminated(_server);

        AwaitCondition(() => !File.Exists(_path), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void A_second_server_refuses_a_path_that_is_served_and_replaces_a_stale_one()
    {
        Assert.Throws<IOException>(() => ControlListener.Open(_path));

        var stale = Path.Combine(Path.GetTempPath(), $"engine-ctl-{Guid.NewGuid():N}.sock");
        using (var dead = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
            dead.Bind(new UnixDomainSocketEndPoint(stale)); // bound, never listening: a dead engine's file
        using var replaced = ControlListener.Open(stale);
        Assert.True(ControlListener.IsServed(stale));
        File.Delete(stale);
    }

    [Fact]
    public void A_path_that_is_a_file_and_not_a_socket_is_refused_and_the_file_kept()
    {
        var file = Path.Combine(Path.GetTempPath(), $"engine-ctl-{Guid.NewGuid():N}.txt");
        File.WriteAllText(file, "someone's file");
        try
        {
            var refused = Assert.Throws<IOException>(() => ControlListener.Open(file));
            Assert.Contains("is not a socket", refused.Message);
            Assert.Equal("someone's file", File.ReadAllText(file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private Socket Connect()
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { ReceiveTimeout = 5000 };
        socket.Connect(new UnixDomainSocketEndPoint(_path));
        return socket;
    }

    private static void Send(Socket socket, string text) => socket.Send(Encoding.UTF8.GetBytes(text));

    private static JsonElement ReadAnswer(Socket socket)
    {
        var line = new List<byte>();
        var one = new byte[1];
        while (socket.Receive(one) == 1 && one[0] != '\n') line.Add(one[0]);
        return JsonDocument.Parse(line.ToArray()).RootElement;
    }

    protected override void Dispose(bool disposing)
    {
        File.Delete(_path);
        base.Dispose(disposing);
    }
}
