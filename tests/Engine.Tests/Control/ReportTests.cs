using System.Buffers;
using System.Text.Json;
using Engine.Actors.Control;
using Engine.Actors.Lab;
using Engine.Actors.Router;
using Xunit;

namespace Engine.Tests.Control;

public class ReportTests
{
    [Fact]
    public void Status_lists_every_port_with_its_kind_state_counters_and_drops_by_reason()
    {
        var states = new Dictionary<int, PortState>
        {
            [0] = new("up"),
            [2] = new("up", "east at 127.0.0.1:7000", TimeSpan.FromMilliseconds(1500)),
        };
        var status = Answer(json => StatusReport.Write(json, ControlLab.View(), ControlLab.Router, states));

        Assert.True(status.GetProperty("up").GetBoolean());
        Assert.Equal("west", status.GetProperty("node").GetString());
        var ports = status.GetProperty("ports").EnumerateArray().ToList();
        Assert.Equal(["tun-a", "tap-b", "east"], ports.Select(p => p.GetProperty("name").GetString()));
        Assert.Equal(["tun", "tap", "peer"], ports.Select(p => p.GetProperty("kind").GetString()));
        // tap-b's actor did not answer: its state is unknown, not a guess.
        Assert.Equal(["up", "unknown", "up"], ports.Select(p => p.GetProperty("state").GetString()));
        Assert.Equal("host-a", ports[0].GetProperty("namespace").GetString());
        Assert.Equal(["checksum", "tso4"], ports[0].GetProperty("offloads").EnumerateArray().Select(o => o.GetString()));
        Assert.Equal(3, ports[0].GetProperty("rx").GetProperty("packets").GetInt64());
        Assert.Equal(252, ports[0].GetProperty("rx").GetProperty("bytes").GetInt64());
        Assert.Equal(2, ports[0].GetProperty("drops").GetProperty("no-route").GetInt64());
        Assert.Empty(ports[1].GetProperty("drops").EnumerateObject());
        Assert.Equal("engine", ports[2].GetProperty("framing").GetString());
        Assert.Equal("east at 127.0.0.1:7000", ports[2].GetProperty("remote").GetString());
        Assert.Equal(1500, ports[2].GetProperty("last_heard_ms").GetInt64());
        Assert.Equal(0, status.GetProperty("router").GetProperty("forwarded").GetInt64());
    }

    [Fact]
    public void Routes_list_connected_and_static_routes_with_state_and_the_backup_in_use()
    {
        var routes = Answer(json => RouteReport.Write(json, ControlLab.View(), ControlLab.Book()))
            .GetProperty("routes").EnumerateArray().ToList();

        Assert.Equal(["10.0.1.0/24", "10.0.2.0/24", "10.0.9.0/24", "10.0.8.0/24"], routes.Select(r => r.GetProperty("prefix").GetString()));
        Assert.Equal(["connected", "connected", "static", "static"], routes.Select(r => r.GetProperty("source").GetString()));
        Assert.Equal("east", routes[2].GetProperty("via").GetProperty("port").GetString());
        Assert.Equal("tun-a", routes[2].GetProperty("backup").GetProperty("port").GetString());
        Assert.True(routes[2].GetProperty("backup_in_use").GetBoolean());
        Assert.False(routes[0].GetProperty("backup_in_use").GetBoolean());
        Assert.False(routes[3].GetProperty("active").GetBoolean());
        Assert.Equal("no connected subnet holds 10.0.7.1", routes[3].GetProperty("inactive").GetString());
    }

    [Fact]
    public void Backup_is_not_in_use_while_the_next_hop_is_up()
    {
        var routes = Answer(json => RouteReport.Write(json, ControlLab.View(), ControlLab.Book(upPorts: 2))).GetProperty("routes");

        Assert.False(routes[2].GetProperty("backup_in_use").GetBoolean());
    }

    [Fact]
    public void An_error_reply_is_one_line_of_json_with_its_kind()
    {
        var line = ControlReply.Error(ControlErrorKind.BadRequest, "unknown command \"x\"");

        Assert.Equal((byte)'\n', line[^1]);
        Assert.DoesNotContain((byte)'\n', line[..^1]);
        var error = JsonDocument.Parse(line).RootElement;
        Assert.False(error.GetProperty("ok").GetBoolean());
        Assert.Equal("bad-request", error.GetProperty("kind").GetString());
        Assert.Equal("unknown command \"x\"", error.GetProperty("error").GetString());
    }

    private static JsonElement Answer(Action<Utf8JsonWriter> fields)
    {
        var line = ControlReply.Ok(fields);
        var answer = JsonDocument.Parse(line).RootElement;
        Assert.True(answer.GetProperty("ok").GetBoolean());
        return answer;
    }
}
