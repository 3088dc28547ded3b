using Xunit;

namespace Engine.Tests.Topology;

public class MultipleErrorsTests
{
    [Fact]
    public void Every_problem_in_the_file_is_reported_in_document_order()
    {
        var errors = Lab.Errors("""
            akka { loglevel = DEBUG }
            engine {
              batch-size = 0
              colour = blue
              devices = [
                { name = tun-a, type = tun, namespace = host-a, address = "10.0.1.1/24", gateway = "10.0.2.254" }
                { name = tun-b, type = tan, mtu = big, address = ["10.0.2.1/24", "10.0.2.300/24"] }
                { name = tun-a, type = tun, namespace = host-a, address = "10.0.1.2/24" }
                { type = tap, persistent = maybe }
              ]
              routes = [
                { prefix = "10.0.1.1/24", via = tun-a }
                { prefix = "10.0.2.0/24", via = tun-z, metric = 1 }
                { prefix = "10.0.2.0/24", via = tun-b }
              ]
            }
            """);

        Assert.Equal(
            [
                "engine.colour: unknown key",
                "engine.batch-size: must be a number from 1 to 1024, got 0",
                "engine.devices[0].gateway: gateway 10.0.2.254 is outside the device's IPv4 subnet 10.0.1.0/24",
                "engine.devices[1].type: must be tun or tap, got \"tan\"",
                "engine.devices[1].address[1]: not an address with prefix length: \"10.0.2.300/24\"",
                "engine.devices[1].mtu: must be a number from 68 to 65535, got \"big\"",
                "engine.devices[3].name: required",
                "engine.devices[3].persistent: must be true or false, got \"maybe\"",
                "engine.devices[2].name: duplicate device name \"tun-a\" (also engine.devices[0])",
                "engine.devices[2].address: 10.0.1.2/24 overlaps 10.0.1.1/24 of \"tun-a\" (engine.devices[0].address) in namespace host-a",
                "engine.routes[0].prefix: host bits set in 10.0.1.1/24 (did you mean 10.0.1.0/24?)",
                "engine.routes[1].metric: unknown key",
                "engine.routes[1].via: no device, peer or switch named \"tun-z\"",
                "engine.routes[2].prefix: duplicate route 10.0.2.0/24 (also engine.routes[1])",
            ],
            errors);
    }
}
