using System.Text;
using Engine.Actors.Control;
using Xunit;

namespace Engine.Tests.Control;

public class ControlRequestTests
{
    [Theory]
    [InlineData("{\"command\":\"status\"}", ControlCommand.Status)]
    [InlineData("{ \"command\" : \"routes\", \"extra\": [1, 2] }", ControlCommand.Routes)]
    [InlineData("{\"command\":\"stop\"}", ControlCommand.Stop)]
    public void A_known_command_parses(string line, ControlCommand expected)
    {
        var request = ControlRequest.Parse(Encoding.UTF8.GetBytes(line), out var error);

        Assert.Equal(expected, request?.Command);
        Assert.Equal("", error);
    }

    [Theory]
    [InlineData("garbage", "not JSON")]
    [InlineData("{\"command\":", "not JSON")]
    [InlineData("[\"status\"]", "a request must be a JSON object")]
    [InlineData("\"status\"", "a request must be a JSON object")]
    [InlineData("{}", "a request needs a \"command\" string")]
    [InlineData("{\"command\":7}", "a request needs a \"command\" string")]
    [InlineData("{\"command\":\"reboot\"}", "unknown command \"reboot\"; known: status, routes, stop, capture, route-add, route-del")]
    [InlineData("{\"command\":\"status\"} trailing", "not JSON")]
    [InlineData("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", "not JSON")]
    public void A_bad_line_is_an_error_with_a_reason_and_never_throws(string line, string reason)
    {
        var request = ControlRequest.Parse(Encoding.UTF8.GetBytes(line), out var error);

        Assert.Null(request);
        Assert.StartsWith(reason, error);
    }

    [Fact]
    public void A_route_add_carries_its_prefix_vias_and_backup_and_a_route_del_its_prefix()
    {
        var add = ControlRequest.Parse("{\"command\":\"route-add\",\"prefix\":\"10.9.0.0/24\",\"via\":[\"10.0.2.1\",\"east\"],\"backup\":null}"u8, out _);
        var one = ControlRequest.Parse("{\"command\":\"route-add\",\"prefix\":\"10.9.0.0/24\",\"via\":\"east\",\"backup\":\"tun-a\"}"u8, out _);
        var del = ControlRequest.Parse("{\"command\":\"route-del\",\"prefix\":\"10.9.0.0/24\"}"u8, out _);

        Assert.Equal(["10.0.2.1", "east"], add!.Vias);
        Assert.Null(add.Backup);
        Assert.Equal(("10.9.0.0/24", "tun-a"), (one!.Prefix, one.Backup));
        Assert.Equal(["east"], one.Vias);
        Assert.Equal((ControlCommand.RouteDel, "10.9.0.0/24"), (del!.Command, del.Prefix));
    }

    [Theory]
    [InlineData("{\"command\":\"route-add\",\"via\":\"east\"}", "a route request needs a \"prefix\" string")]
    [InlineData("{\"command\":\"route-del\",\"prefix\":7}", "a route request needs a \"prefix\" string")]
    [InlineData("{\"command\":\"route-add\",\"prefix\":\"10.9.0.0/24\"}", "route-add needs a \"via\"")]
    [InlineData("{\"command\":\"route-add\",\"prefix\":\"10.9.0.0/24\",\"via\":[]}", "route-add needs a \"via\"")]
    [InlineData("{\"command\":\"route-add\",\"prefix\":\"10.9.0.0/24\",\"via\":\"east\",\"backup\":3}", "route-add's \"backup\" must be")]
    public void A_route_request_without_what_it_needs_is_an_error(string line, string reason)
    {
        Assert.Null(ControlRequest.Parse(Encoding.UTF8.GetBytes(line), out var error));
        Assert.StartsWith(reason, error);
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(14);
        var line = new byte[64];
        for (var i = 0; i < 10_000; i++)
        {
            random.NextBytes(line);
            ControlRequest.Parse(line.AsSpan(0, random.Next(line.Length)), out _);
        }
    }

    [Fact]
    public void Capture_takes_a_port_and_an_optional_count()
    {
        Assert.Equal(new ControlRequest(ControlCommand.Capture, "tun-a", 10),
            ControlRequest.Parse("{\"command\":\"capture\",\"port\":\"tun-a\",\"count\":10}"u8, out _));
        Assert.Equal(new ControlRequest(ControlCommand.Capture, "tun-a"),
            ControlRequest.Parse("{\"command\":\"capture\",\"port\":\"tun-a\",\"count\":null}"u8, out _));
    }

    [Theory]
    [InlineData("{\"command\":\"capture\"}", "capture needs a \"port\" to capture")]
    [InlineData("{\"command\":\"capture\",\"port\":\"\"}", "capture needs a \"port\" to capture")]
    [InlineData("{\"command\":\"capture\",\"port\":\"a\",\"count\":0}", "capture's \"count\" must be a whole number of at least 1")]
    [InlineData("{\"command\":\"capture\",\"port\":\"a\",\"count\":1.5}", "capture's \"count\" must be a whole number of at least 1")]
    [InlineData("{\"command\":\"capture\",\"port\":\"a\",\"count\":\"all\"}", "capture's \"count\" must be a whole number of at least 1")]
    public void A_bad_capture_request_says_why(string line, string reason)
    {
        Assert.Null(ControlRequest.Parse(Encoding.UTF8.GetBytes(line), out var error));
        Assert.Equal(reason, error);
    }
}
