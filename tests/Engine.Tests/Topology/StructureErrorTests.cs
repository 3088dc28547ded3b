using Xunit;

namespace Engine.Tests.Topology;

/// <summary>The shape of the file around the devices and routes.</summary>
public class StructureErrorTests
{
    [Theory]
    [InlineData("", "engine: required")]
    [InlineData("# only a comment\n", "engine: required")]
    [InlineData("akka { loglevel = INFO }", "engine: required")]
    [InlineData("engine = null", "engine: required")]
    [InlineData("engine = 5", "engine: must be an object, got 5")]
    [InlineData("engine = [1]", "engine: must be an object, got a list")]
    [InlineData("engine { }", "engine.devices: required")]
    [InlineData("engine { devices = null }", "engine.devices: required")]
    [InlineData("engine { devices = [] }", "engine.devices: must list at least one device")]
    [InlineData("engine { devices = [ ] }", "engine.devices: must list at least one device")]
    [InlineData("engine { devices = [\n] }", "engine.devices: must list at least one device")]
    [InlineData("engine { devices = { name = tun-a, type = tun } }", "engine.devices: must be a list, got an object")]
    [InlineData("engine { devices = tun-a }", "engine.devices: must be a list, got \"tun-a\"")]
    [InlineData("engine { devices = [ { name = tun-a, type = tun } ], peers = { } }", "engine.peers: must be a list, got an object")]
    [InlineData("engine { devices = [ { name = tun-a, type = tun } ], peers = [ controller ] }",
        "engine.peers[0]: must be an object, got \"controller\"")]
    [InlineData("engine { devices = [ { name = tun-a, type = tun } ], peers = [ { name = controller } ] }",
        "engine.peers[0].role: required\nengine.peers[0].transport: required")]
    [InlineData("engine { devices = [], peers = [ { name = east, role = engine, transport = udp, listen = 7001 } ] }",
        "engine.devices: must list at least one device")]
    public void Structure_error_is_reported_with_its_path(string text, string expected) =>
        Assert.Equal(Lab.Lines(expected), Lab.Errors(text));

    [Fact]
    public void Empty_peer_list_is_no_peers() =>
        Assert.Empty(Lab.Valid("engine { devices = [ { name = tun-a, type = tun } ], peers = [] }").Peers);

    [Fact]
    public void Circular_substitution_is_one_error_at_the_key_that_uses_it() =>
        Assert.Equal(["engine.log-file: substitutions refer to each other in a circle"],
            Lab.Errors("""
                lab { a = ${lab.b}, b = ${lab.a} }
                engine {
                  log-file = ${lab.a}
                  devices = [ { name = tun-a, type = tun } ]
                }
                """));

    [Fact]
    public void Unresolved_substitution_names_the_source() =>
        Assert.Equal(["lab.hocon: cannot parse: Unresolved substitution: lab.missing"],
            Lab.Errors("engine { log-file = ${lab.missing}, devices = [ { name = tun-a, type = tun } ] }", "lab.hocon"));
}
