using Xunit;

namespace Engine.Tests.Topology;

public class PeerErrorTests
{
    [Theory]
    // shape and unknown keys
    [InlineData("{ name = p, role = engine, transport = tcp, listen = 5555, colour = blue }", "engine.peers[0].colour: unknown key")]
    [InlineData("{ name = p, role = engine, transport = tcp, listen = 5555, port = 5555 }", "engine.peers[0].port: unknown key")]
    [InlineData("controller", "engine.peers[0]: must be an object, got \"controller\"")]
    // name
    [InlineData("{ role = engine, transport = tcp, listen = 5555 }", "engine.peers[0].name: required")]
    [InlineData("{ name = \"\", role = engine, transport = tcp, listen = 5555 }", "engine.peers[0].name: must not be empty")]
    [InlineData("{ name = [p], role = engine, transport = tcp, listen = 5555 }", "engine.peers[0].name: must be a peer name, got a list")]
    [InlineData("{ name = \"..\", role = engine, transport = tcp, listen = 5555 }", "engine.peers[0].name: peer name \"..\" is not allowed")]
    [InlineData("{ name = \"a/b\", role = engine, transport = tcp, listen = 5555 }", "engine.peers[0].name: peer name \"a/b\" must not contain '/'")]
    [InlineData("{ name = \"a:b\", role = engine, transport = tcp, listen = 5555 }", "engine.peers[0].name: peer name \"a:b\" must not contain ':'")]
    [InlineData("{ name = \"peer%d\", role = engine, transport = tcp, listen = 5555 }", "engine.peers[0].name: peer name \"peer%d\" must not contain '%'")]
    [InlineData("{ name = east side, role = engine, transport = tcp, listen = 5555 }",
        "engine.peers[0].name: peer name \"east side\" must not contain whitespace or control characters")]
    // role, transport, framing
    [InlineData("{ name = p, transport = tcp, listen = 5555 }", "engine.peers[0].role: required")]
    [InlineData("{ name = p, role = router, transport = tcp, listen = 5555 }", "engine.peers[0].role: must be controller, quagga or engine, got \"router\"")]
    [InlineData("{ name = p, role = [engine], transport = tcp, listen = 5555 }", "engine.peers[0].role: must be controller, quagga or engine, got a list")]
    [InlineData("{ name = p, role = engine, listen = 5555 }", "engine.peers[0].transport: required")]
    [InlineData("{ name = p, role = engine, transport = sctp, listen = 5555 }", "engine.peers[0].transport: must be tcp, udp or unix, got \"sctp\"")]
    [InlineData("{ name = p, role = engine, transport = TCP, listen = 5555 }", "engine.peers[0].transport: must be tcp, udp or unix, got \"TCP\"")]
    [InlineData("{ name = p, role = engine, transport = tcp, listen = 5555, framing = json }",
        "engine.peers[0].framing: must be length16, datagram or engine, got \"json\"")]
    [InlineData("{ name = p, role = engine, transport = udp, listen = 7001, framing = length16 }",
        "engine.peers[0].framing: length16 frames a byte stream; udp keeps packet boundaries: use datagram")]
    [InlineData("{ name = p, role = quagga, transport = tcp, listen = 5555, framing = datagram }",
        "engine.peers[0].framing: datagram relies on udp's packet boundaries; a tcp stream needs length16 or engine")]
    [InlineData("{ name = p, role = quagga, transport = unix, listen = \"/run/p.sock\", framing = datagram }",
        "engine.peers[0].framing: datagram relies on udp's packet boundaries; a unix stream needs length16 or engine")]
    [InlineData("{ name = p, role = controller, transport = tcp, connect = \"127.0.0.1:6653\" }",
        "engine.peers[0].framing: a controller needs framing = engine: its frames carry port tags (the default for tcp is length16)")]
    [InlineData("{ name = p, role = controller, transport = udp, connect = \"127.0.0.1:6653\" }",
        "engine.peers[0].framing: a controller needs framing = engine: its frames carry port tags (the default for udp is datagram)")]
    [InlineData("{ name = p, role = controller, transport = tcp, connect = \"127.0.0.1:6653\", framing = length16 }",
        "engine.peers[0].framing: a controller needs framing = engine: its frames carry port tags")]
    [InlineData("{ name = p, role = controller, transport = udp, connect = \"127.0.0.1:6653\", framing = datagram }",
        "engine.peers[0].framing: a controller needs framing = engine: its frames carry port tags")]
    // connect and listen: which of them
    [InlineData("{ name = p, role = quagga, transport = tcp, connect = \"127.0.0.1:5555\", listen = 5556 }",
        "engine.peers[0]: a tcp peer either connects or listens: give connect or listen, not both (only udp takes both)")]
    [InlineData("{ name = p, role = quagga, transport = unix, connect = \"/run/a.sock\", listen = \"/run/b.sock\" }",
        "engine.peers[0]: a unix peer either connects or listens: give connect or listen, not both (only udp takes both)")]
    [InlineData("{ name = p, role = quagga, transport = tcp }",
        "engine.peers[0]: a tcp peer needs connect (to dial the peer) or listen (to accept it)")]
    [InlineData("{ name = p, role = quagga, transport = unix, connect = null }",
        "engine.peers[0]: a unix peer needs connect (to dial the peer) or listen (to accept it)")]
    [InlineData("{ name = p, role = engine, transport = udp }", "engine.peers[0]: a udp peer needs listen, connect or both")]
    // IP endpoints
    [InlineData("{ name = p, role = quagga, transport = tcp, connect = \"localhost:5555\" }",
        "engine.peers[0].connect: not an endpoint like 127.0.0.1:5555 or [::1]:5555: \"localhost:5555\"")]
    [InlineData("{ name = p, role = quagga, transport = tcp, connect = \"10.0.0.1\" }",
        "engine.peers[0].connect: not an endpoint like 127.0.0.1:5555 or [::1]:5555: \"10.0.0.1\"")]
    [InlineData("{ name = p, role = quagga, transport = tcp, connect = \"10.0.0.1:bgp\" }",
        "engine.peers[0].connect: not an endpoint like 127.0.0.1:5555 or [::1]:5555: \"10.0.0.1:bgp\"")]
    [InlineData("{ name = p, role = quagga, transport = tcp, connect = \"10.1:5555\" }",
        "engine.peers[0].connect: not an endpoint like 127.0.0.1:5555 or [::1]:5555: \"10.1:5555\"")]
    [InlineData("{ name = p, role = quagga, transport = tcp, connect = \"[10.0.0.1]:5555\" }",
        "engine.peers[0].connect: not an endpoint like 127.0.0.1:5555 or [::1]:5555: \"[10.0.0.1]:5555\"")]
    [InlineData("{ name = p, role = quagga, transport = tcp, connect = \"[fd00::1]\" }",
        "engine.peers[0].connect: not an endpoint like 127.0.0.1:5555 or [::1]:5555: \"[fd00::1]\"")]
    [InlineData("{ name = p, role = quagga, transport = tcp, connect = \"fd00::1:5555\" }",
        "engine.peers[0].connect: an IPv6 endpoint is written [address]:port: \"fd00::1:5555\"")]
    [InlineData("{ name = p, role = quagga, transport = tcp, listen = nowhere }",
        "engine.peers[0].listen: not an endpoint like 127.0.0.1:5555 or [::1]:5555 or a port: \"nowhere\"")]
    [InlineData("{ name = p, role = quagga, transport = tcp, listen = \"/run/p.sock\" }",
        "engine.peers[0].listen: not an endpoint like 127.0.0.1:5555 or [::1]:5555 or a port: \"/run/p.sock\"")]
    [InlineData("{ name = p, role = quagga, transport = tcp, connect = [\"127.0.0.1:5555\"] }",
        "engine.peers[0].connect: must be an endpoint like 127.0.0.1:5555, got a list")]
    [InlineData("{ name = p, role = quagga, transport = tcp, connect = 5555 }",
        "engine.peers[0].connect: connect needs an address as well as the port: \"5555\"")]
    [InlineData("{ name = p, role = quagga, transport = tcp, listen = \"127.0.0.1:0\" }",
        "engine.peers[0].listen: port 0 is out of range (1..65535): \"127.0.0.1:0\"")]
    [InlineData("{ name = p, role = quagga, transport = tcp, listen = 0 }", "engine.peers[0].listen: port 0 is out of range (1..65535): \"0\"")]
    [InlineData("{ name = p, role = quagga, transport = tcp, listen = 70000 }", "engine.peers[0].listen: port 70000 is out of range (1..65535): \"70000\"")]
    [InlineData("{ name = p, role = quagga, transport = udp, connect = \"[::1]:70000\" }",
        "engine.peers[0].connect: port 70000 is out of range (1..65535): \"[::1]:70000\"")]
    [InlineData("{ name = p, role = quagga, transport = tcp, connect = \"127.0.0.1:99999999999\" }",
        "engine.peers[0].connect: port 99999999999 is out of range (1..65535): \"127.0.0.1:99999999999\"")]
    [InlineData("{ name = p, role = quagga, transport = tcp, connect = \"0.0.0.0:5555\" }",
        "engine.peers[0].connect: cannot connect to the unspecified address 0.0.0.0: \"0.0.0.0:5555\"")]
    [InlineData("{ name = p, role = engine, transport = udp, listen = 7001, connect = \"[::]:7002\" }",
        "engine.peers[0].connect: cannot connect to the unspecified address ::: \"[::]:7002\"")]
    // Unix endpoints
    [InlineData("{ name = p, role = quagga, transport = unix, listen = \"run/p.sock\" }",
        "engine.peers[0].listen: a Unix socket path must be absolute (or @name for the abstract namespace): \"run/p.sock\"")]
    [InlineData("{ name = p, role = quagga, transport = unix, connect = \"127.0.0.1:5555\" }",
        "engine.peers[0].connect: a Unix socket path must be absolute (or @name for the abstract namespace): \"127.0.0.1:5555\"")]
    [InlineData("{ name = p, role = quagga, transport = unix, listen = \"/run/\" }",
        "engine.peers[0].listen: \"/run/\" names a directory; name the socket itself")]
    [InlineData("{ name = p, role = quagga, transport = unix, listen = \"@\" }",
        "engine.peers[0].listen: an abstract socket needs a name after '@'")]
    [InlineData("{ name = p, role = quagga, transport = unix, listen = [\"/run/p.sock\"] }",
        "engine.peers[0].listen: must be a socket path or @name, got a list")]
    // allow
    [InlineData("{ name = p, role = quagga, transport = unix, listen = \"/run/p.sock\", allow = [\"127.0.0.1/32\"] }",
        "engine.peers[0].allow: allow filters IP source addresses; a unix socket has none")]
    [InlineData("{ name = p, role = quagga, transport = tcp, connect = \"127.0.0.1:5555\", allow = [\"127.0.0.1/32\"] }",
        "engine.peers[0].allow: allow filters who may reach a listener, and this peer does not listen")]
    [InlineData("{ name = p, role = engine, transport = udp, connect = \"127.0.0.1:7002\", allow = \"127.0.0.1\" }",
        "engine.peers[0].allow: allow filters who may reach a listener, and this peer does not listen")]
    [InlineData("{ name = p, role = quagga, transport = tcp, listen = 5555, allow = [\"127.0.0.1/32\", \"10.0.0.1/8\"] }",
        "engine.peers[0].allow[1]: host bits set in 10.0.0.1/8 (did you mean 10.0.0.0/8?)")]
    [InlineData("{ name = p, role = quagga, transport = tcp, listen = 5555, allow = [anyone] }",
        "engine.peers[0].allow[0]: not a prefix like 10.0.0.0/8 or an address: \"anyone\"")]
    [InlineData("{ name = p, role = quagga, transport = tcp, listen = 5555, allow = [\"::1/129\"] }",
        "engine.peers[0].allow[0]: prefix length 129 is out of range for IPv6 (0..128): \"::1/129\"")]
    [InlineData("{ name = p, role = quagga, transport = tcp, listen = 5555, allow = { from = \"127.0.0.1\" } }",
        "engine.peers[0].allow: must be a prefix or an address or a list of them, got an object")]
    // key
    [InlineData("{ name = p, role = engine, transport = tcp, listen = 5555, framing = engine, key = hunter2 }",
        "engine.peers[0].key: a key must be at least 16 characters long; this one has 7")]
    [InlineData("{ name = p, role = engine, transport = tcp, listen = 5555, key = \"a-long-shared-secret\" }",
        "engine.peers[0].key: a key needs framing = engine; length16 carries no authentication")]
    [InlineData("{ name = p, role = engine, transport = udp, listen = 7001, framing = datagram, key = \"a-long-shared-secret\" }",
        "engine.peers[0].key: a key needs framing = engine; datagram carries no authentication")]
    [InlineData("{ name = p, role = engine, transport = tcp, listen = 5555, framing = engine, key = [a, b] }",
        "engine.peers[0].key: must be a shared secret, got a list")]
    // namespace, mtu, send-queue
    [InlineData("{ name = p, role = engine, transport = tcp, listen = 5555, namespace = \"a/b\" }",
        "engine.peers[0].namespace: namespace name \"a/b\" must not contain '/'")]
    [InlineData("{ name = p, role = engine, transport = tcp, listen = 5555, mtu = 67 }", "engine.peers[0].mtu: must be a number from 68 to 65535, got 67")]
    [InlineData("{ name = p, role = engine, transport = tcp, listen = 5555, mtu = 65536 }",
        "engine.peers[0].mtu: must be a number from 68 to 65535, got 65536")]
    [InlineData("{ name = p, role = engine, transport = tcp, listen = 5555, send-queue = 0 }",
        "engine.peers[0].send-queue: must be a number from 1 to 1000000, got 0")]
    [InlineData("{ name = p, role = engine, transport = tcp, listen = 5555, send-queue = 1000001 }",
        "engine.peers[0].send-queue: must be a number from 1 to 1000000, got 1000001")]
    [InlineData("{ name = p, role = engine, transport = tcp, listen = 5555, send-queue = lots }",
        "engine.peers[0].send-queue: must be a number from 1 to 1000000, got \"lots\"")]
    // timers
    [InlineData("{ name = p, role = engine, transport = tcp, connect = \"127.0.0.1:5555\", reconnect-min = 10s, reconnect-max = 2s }",
        "engine.peers[0].reconnect-min: must not be longer than reconnect-max (2s), got 10s")]
    [InlineData("{ name = p, role = engine, transport = tcp, connect = \"127.0.0.1:5555\", reconnect-min = 10s }",
        "engine.peers[0].reconnect-min: must not be longer than reconnect-max (500ms, the default), got 10s")]
    [InlineData("{ name = p, role = engine, transport = tcp, connect = \"127.0.0.1:5555\", reconnect-max = 50ms }",
        "engine.peers[0].reconnect-max: must not be shorter than reconnect-min (100ms, the default), got 50ms")]
    [InlineData("{ name = p, role = engine, transport = tcp, connect = \"127.0.0.1:5555\", reconnect-min = 1ms }",
        "engine.peers[0].reconnect-min: must be at least 10ms, got \"1ms\"")]
    [InlineData("{ name = p, role = engine, transport = tcp, connect = \"127.0.0.1:5555\", reconnect-max = 2h }",
        "engine.peers[0].reconnect-max: must be at most 1h, got \"2h\"")]
    [InlineData("{ name = p, role = engine, transport = tcp, connect = \"127.0.0.1:5555\", reconnect-max = soon }",
        "engine.peers[0].reconnect-max: must be a duration like 1s or 500ms, got \"soon\"")]
    [InlineData("{ name = p, role = engine, transport = tcp, listen = 5555, framing = engine, keepalive = 2s, dead-peer-timeout = 2s }",
        "engine.peers[0].dead-peer-timeout: must be longer than keepalive (2s), got 2s")]
    [InlineData("{ name = p, role = engine, transport = tcp, listen = 5555, framing = engine, dead-peer-timeout = 500ms }",
        "engine.peers[0].dead-peer-timeout: must be longer than keepalive (1s, the default), got 500ms")]
    [InlineData("{ name = p, role = engine, transport = tcp, listen = 5555, framing = engine, keepalive = 10s }",
        "engine.peers[0].keepalive: must be shorter than dead-peer-timeout (5s, the default), got 10s")]
    [InlineData("{ name = p, role = engine, transport = tcp, listen = 5555, framing = engine, keepalive = 50ms }",
        "engine.peers[0].keepalive: must be at least 100ms, got \"50ms\"")]
    [InlineData("{ name = p, role = engine, transport = tcp, listen = 5555, framing = engine, keepalive = 50 }",
        "engine.peers[0].keepalive: must be at least 100ms, got 50 (a number without a unit means milliseconds)")]
    [InlineData("{ name = p, role = engine, transport = tcp, listen = 5555, framing = engine, keepalive = 2h }",
        "engine.peers[0].keepalive: must be at most 1h, got \"2h\"")]
    [InlineData("{ name = p, role = engine, transport = tcp, listen = 5555, framing = engine, dead-peer-timeout = 200ms }",
        "engine.peers[0].dead-peer-timeout: must be at least 300ms, got \"200ms\"")]
    [InlineData("{ name = p, role = engine, transport = tcp, listen = 5555, framing = engine, dead-peer-timeout = 2d }",
        "engine.peers[0].dead-peer-timeout: must be at most 1d, got \"2d\"")]
    [InlineData("{ name = p, role = quagga, transport = tcp, listen = 5555, stall-timeout = 50ms }",
        "engine.peers[0].stall-timeout: must be at least 100ms, got \"50ms\"")]
    [InlineData("{ name = p, role = quagga, transport = tcp, listen = 5555, stall-timeout = 2d }",
        "engine.peers[0].stall-timeout: must be at most 1d, got \"2d\"")]
    [InlineData("{ name = p, role = quagga, transport = tcp, listen = 5555, stall-timeout = never }",
        "engine.peers[0].stall-timeout: must be a duration like 1s or 500ms, got \"never\"")]
    public void Peer_error_is_reported_with_its_path(string peer, string expected) =>
        Assert.Equal(Lab.Lines(expected), Lab.Errors(Lab.WithPeers(peer)));

    [Fact]
    public void Peer_name_longer_than_64_bytes_is_refused()
    {
        var name = new string('p', 65);
        Assert.Equal([$"engine.peers[0].name: peer name \"{name}\" is 65 bytes long; at most 64 are allowed"],
            Lab.Errors(Lab.WithPeers($"{{ name = {name}, role = engine, transport = tcp, listen = 5555 }}")));
    }

    [Fact]
    public void Unix_socket_path_longer_than_107_bytes_is_refused()
    {
        var path = "/run/" + new string('s', 103);
        Assert.Equal(["engine.peers[0].listen: Unix socket path is 108 bytes long; Linux allows at most 107"],
            Lab.Errors(Lab.WithPeers($"{{ name = p, role = quagga, transport = unix, listen = \"{path}\" }}")));
    }

    [Fact]
    public void Abstract_socket_name_longer_than_107_bytes_is_refused()
    {
        var name = "@" + new string('s', 108);
        Assert.Equal(["engine.peers[0].connect: abstract socket name is 108 bytes long; Linux allows at most 107"],
            Lab.Errors(Lab.WithPeers($"{{ name = p, role = quagga, transport = unix, connect = \"{name}\" }}")));
    }

    [Fact]
    public void Secret_key_is_never_shown_in_an_error()
    {
        var errors = Lab.Errors(Lab.WithPeers("{ name = p, role = engine, transport = tcp, listen = 5555, key = \"s3cr3t-but-short\" }"));
        Assert.Equal(["engine.peers[0].key: a key needs framing = engine; length16 carries no authentication"], errors);
        Assert.DoesNotContain(errors, line => line.Contains("s3cr3t", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_problem_of_one_peer_is_reported()
    {
        var errors = Lab.Errors(Lab.WithPeers("""
            { name = "a/b", role = controller, transport = udp, framing = length16, key = short, allow = nobody, mtu = 1, send-queue = 0, colour = red }
            """));

        Assert.Equal(
            [
                "engine.peers[0].colour: unknown key",
                "engine.peers[0].name: peer name \"a/b\" must not contain '/'",
                "engine.peers[0].framing: length16 frames a byte stream; udp keeps packet boundaries: use datagram",
                "engine.peers[0]: a udp peer needs listen, connect or both",
                "engine.peers[0].allow: allow filters who may reach a listener, and this peer does not listen",
                "engine.peers[0].key: a key must be at least 16 characters long; this one has 5",
                "engine.peers[0].mtu: must be a number from 68 to 65535, got 1",
                "engine.peers[0].send-queue: must be a number from 1 to 1000000, got 0",
            ],
            errors);
    }
}
