using System.Net;
using Engine.Actors.Topology;
using Xunit;

namespace Engine.Tests.Topology;

/// <summary>engine.fpm: its defaults, the plan line of engine check, and one error line per bad value.</summary>
public class FpmTopologyTests
{
    [Fact]
    public void A_lab_without_fpm_has_no_server()
    {
        Assert.Null(Lab.Valid(Lab.WithRoutes("")).Fpm);
    }

    [Fact]
    public void An_empty_fpm_section_listens_on_loopback_at_zebras_port_with_a_30_s_grace()
    {
        var fpm = Lab.Valid(Lab.WithRoutes("", "fpm {}")).Fpm!;
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 2620), fpm.Listen);
        Assert.Null(fpm.Namespace);
        Assert.Empty(fpm.Allow);
        Assert.Equal(TimeSpan.FromSeconds(30), fpm.Grace);
    }

    [Fact]
    public void Every_key_is_read_and_the_plan_says_where_the_server_listens()
    {
        var lab = Lab.Valid(Lab.WithRoutes("", """fpm { listen = "127.0.0.1:2621", namespace = zebra-ns, allow = ["127.0.0.1/32"], grace = 4s }"""));
        var fpm = lab.Fpm!;
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 2621), fpm.Listen);
        Assert.Equal("zebra-ns", fpm.NamespaceIn(lab));
        Assert.Equal("127.0.0.1/32", Assert.Single(fpm.Allow).ToString());
        Assert.Equal(TimeSpan.FromSeconds(4), fpm.Grace);
        Assert.Contains("fpm listening on 127.0.0.1:2621 in zebra-ns, accepting only 127.0.0.1/32, routes kept 4s after zebra disconnects\n", lab.Describe());
    }

    [Fact]
    public void A_port_alone_binds_loopback_and_the_default_namespace_is_the_engines()
    {
        var lab = Lab.Valid(Lab.WithRoutes("", "fpm { listen = 2700 }"));
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 2700), lab.Fpm!.Listen);
        Assert.Contains("fpm listening on 127.0.0.1:2700 in the engine's namespace, routes kept 30s after zebra disconnects\n", lab.Describe());
    }

    [Theory]
    [InlineData("fpm { listen = \"zebra:2620\" }", "engine.fpm.listen: not an endpoint like 127.0.0.1:5555 or [::1]:5555 or a port: \"zebra:2620\"")]
    [InlineData("fpm { listen = 70000 }", "engine.fpm.listen: port 70000 is out of range (1..65535): \"70000\"")]
    [InlineData("fpm { namespace = \"a/b\" }", "engine.fpm.namespace: ")]
    [InlineData("fpm { allow = [\"10.0.0.1/8\"] }", "engine.fpm.allow[0]: host bits set in 10.0.0.1/8 (did you mean 10.0.0.0/8?)")]
    [InlineData("fpm { grace = soon }", "engine.fpm.grace: must be a duration like 1s or 500ms, got \"soon\"")]
    [InlineData("fpm { grace = 2d }", "engine.fpm.grace: must be at most 1d, got \"2d\"")]
    [InlineData("fpm { port = 2620 }", "engine.fpm.port: unknown key")]
    [InlineData("fpm = on", "engine.fpm: must be an object")]
    public void A_bad_value_is_one_line_with_its_path(string setting, string expected)
    {
        var errors = Lab.Errors(Lab.WithRoutes("", setting));
        var line = Assert.Single(errors);
        Assert.StartsWith(expected, line);
    }
}
