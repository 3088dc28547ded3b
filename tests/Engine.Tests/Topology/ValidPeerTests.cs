using System.Net;
using System.Net.Sockets;
using Engine.Actors.Topology;
using Xunit;

namespace Engine.Tests.Topology;

public class ValidPeerTests
{
    private static readonly IPEndPoint Loopback5555 = new(IPAddress.Loopback, 5555);

    [Theory]
    [InlineData("quagga", "tcp", null, PeerRole.Quagga, PeerTransport.Tcp, PeerFraming.Length16)]
    [InlineData("quagga", "tcp", "length16", PeerRole.Quagga, PeerTransport.Tcp, PeerFraming.Length16)]
    [InlineData("quagga", "tcp", "engine", PeerRole.Quagga, PeerTransport.Tcp, PeerFraming.Engine)]
    [InlineData("quagga", "udp", null, PeerRole.Quagga, PeerTransport.Udp, PeerFraming.Datagram)]
    [InlineData("quagga", "udp", "datagram", PeerRole.Quagga, PeerTransport.Udp, PeerFraming.Datagram)]
    [InlineData("quagga", "udp", "engine", PeerRole.Quagga, PeerTransport.Udp, PeerFraming.Engine)]
    [InlineData("quagga", "unix", null, PeerRole.Quagga, PeerTransport.Unix, PeerFraming.Length16)]
    [InlineData("quagga", "unix", "length16", PeerRole.Quagga, PeerTransport.Unix, PeerFraming.Length16)]
    [InlineData("quagga", "unix", "engine", PeerRole.Quagga, PeerTransport.Unix, PeerFraming.Engine)]
    [InlineData("engine", "tcp", null, PeerRole.Engine, PeerTransport.Tcp, PeerFraming.Length16)]
    [InlineData("engine", "tcp", "length16", PeerRole.Engine, PeerTransport.Tcp, PeerFraming.Length16)]
    [InlineData("engine", "tcp", "engine", PeerRole.Engine, PeerTransport.Tcp, PeerFraming.Engine)]
    [InlineData("engine", "udp", null, PeerRole.Engine, PeerTransport.Udp, PeerFraming.Datagram)]
    [InlineData("engine", "udp", "datagram", PeerRole.Engine, PeerTransport.Udp, PeerFraming.Datagram)]
    [InlineData("engine", "udp", "engine", PeerRole.Engine, PeerTransport.Udp, PeerFraming.Engine)]
    [InlineData("engine", "unix", null, PeerRole.Engine, PeerTransport.Unix, PeerFraming.Length16)]
    [InlineData("engine", "unix", "length16", PeerRole.Engine, PeerTransport.Unix, PeerFraming.Length16)]
    [InlineData("engine", "unix", "engine", PeerRole.Engine, PeerTransport.Unix, PeerFraming.Engine)]
    [InlineData("controller", "tcp", "engine", PeerRole.Controller, PeerTransport.Tcp, PeerFraming.Engine)]
    [InlineData("controller", "udp", "engine", PeerRole.Controller, PeerTransport.Udp, PeerFraming.Engine)]
    [InlineData("controller", "unix", "engine", PeerRole.Controller, PeerTransport.Unix, PeerFraming.Engine)]
    public void Every_valid_role_transport_and_framing_combination_is_read(
        string role, string transport, string? framing, PeerRole expectedRole, PeerTransport expectedTransport, PeerFraming expectedFraming)
    {
        (string Endpoints, EndPoint? Connect, EndPoint? Listen) written = transport switch
        {
            "tcp" => ("listen = 5555", null, Loopback5555),
            "udp" => ("listen = 7001, connect = \"127.0.0.1:7002\"", new IPEndPoint(IPAddress.Loopback, 7002), new IPEndPoint(IPAddress.Loopback, 7001)),
            _ => ("connect = \"/run/engine/p.sock\"", new UnixDomainSocketEndPoint("/run/engine/p.sock"), null),
        };
        var (endpoints, connect, listen) = written;
        var framingKey = framing is null ? "" : $", framing = {framing}";

        var lab = Lab.Valid(Lab.WithPeers($"{{ name = p, role = {role}, transport = {transport}, {endpoints}{framingKey} }}"));

        Assert.Equal(
            new PeerSpec("p", expectedRole, expectedTransport, expectedFraming, connect, listen, null, [], null, null,
                TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), 4096),
            Assert.Single(lab.Peers));
    }

    [Fact]
    public void Omitted_keys_take_their_defaults()
    {
        var peer = Assert.Single(Lab.Valid(Lab.WithPeers("{ name = quagga, role = quagga, transport = tcp, listen = 5555 }")).Peers);

        Assert.Equal(PeerFraming.Length16, peer.Framing);
        Assert.Equal(Loopback5555, peer.Listen);
        Assert.Null(peer.Connect);
        Assert.Null(peer.Namespace);
        Assert.Empty(peer.Allow);
        Assert.Null(peer.Key);
        Assert.Null(peer.Mtu);
        Assert.Equal(TimeSpan.FromMilliseconds(100), peer.ReconnectMin);
        Assert.Equal(TimeSpan.FromMilliseconds(500), peer.ReconnectMax);
        Assert.Equal(TimeSpan.FromSeconds(1), peer.Keepalive);
        Assert.Equal(TimeSpan.FromSeconds(5), peer.DeadPeerTimeout);
        Assert.Equal(4096, peer.SendQueue);
        Assert.Equal(TimeSpan.FromSeconds(5), peer.StallTimeout);
        Assert.False(peer.IsClient);
    }

    [Fact]
    public void Null_is_the_same_as_leaving_a_key_out()
    {
        var written = Lab.Valid(Lab.WithPeers("""
            { name = quagga, role = quagga, transport = tcp, listen = 5555, connect = null, framing = null, namespace = null, allow = null,
                  key = null, mtu = null, reconnect-min = null, reconnect-max = null, keepalive = null, dead-peer-timeout = null, send-queue = null,
                  stall-timeout = null }
            """)).Peers[0];
        var omitted = Lab.Valid(Lab.WithPeers("{ name = quagga, role = quagga, transport = tcp, listen = 5555 }")).Peers[0];

        Assert.Equal(omitted, written);
    }

    [Fact]
    public void Every_key_written_is_read()
    {
        var peer = Assert.Single(Lab.Valid(Lab.WithPeers("""
            { name = east, role = engine, transport = udp, framing = engine, listen = "[::1]:7001", connect = "[fd00::2]:7002",
                  namespace = host-e, allow = ["fd00::/64", "::1"], key = "a-long-shared-secret", mtu = 1400,
                  reconnect-min = 250ms, reconnect-max = 30s, keepalive = 2s, dead-peer-timeout = 10s, send-queue = 100,
                  stall-timeout = 20s }
            """)).Peers);

        Assert.Equal(
            new PeerSpec("east", PeerRole.Engine, PeerTransport.Udp, PeerFraming.Engine,
                new IPEndPoint(IPAddress.Parse("fd00::2"), 7002), new IPEndPoint(IPAddress.IPv6Loopback, 7001), "host-e",
                [IPNetwork.Parse("fd00::/64"), IPNetwork.Parse("::1/128")], "a-long-shared-secret", 1400,
                TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10), 100)
            {
                StallTimeout = TimeSpan.FromSeconds(20),
            },
            peer);
    }

    [Theory]
    [InlineData("5555", "127.0.0.1", 5555)]
    [InlineData("1", "127.0.0.1", 1)]
    [InlineData("65535", "127.0.0.1", 65535)]
    [InlineData("\"127.0.0.1:5555\"", "127.0.0.1", 5555)]
    [InlineData("\"0.0.0.0:5555\"", "0.0.0.0", 5555)]
    [InlineData("\"10.0.1.254:179\"", "10.0.1.254", 179)]
    [InlineData("\"[::1]:5555\"", "::1", 5555)]
    [InlineData("\"[::]:5555\"", "::", 5555)]
    public void Tcp_listen_endpoint_forms(string written, string address, int port) =>
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port),
            Lab.Valid(Lab.WithPeers($"{{ name = p, role = quagga, transport = tcp, listen = {written} }}")).Peers[0].Listen);

    [Theory]
    [InlineData("\"127.0.0.1:6653\"", "127.0.0.1", 6653)]
    [InlineData("\"[fd00::2]:6653\"", "fd00::2", 6653)]
    public void Tcp_connect_endpoint_forms(string written, string address, int port)
    {
        var peer = Lab.Valid(Lab.WithPeers($"{{ name = p, role = controller, transport = tcp, framing = engine, connect = {written} }}")).Peers[0];
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), peer.Connect);
        Assert.True(peer.IsClient);
    }

    [Fact]
    public void Udp_may_only_send_only_listen_or_both()
    {
        var lab = Lab.Valid(Lab.WithPeers("""
            { name = out, role = engine, transport = udp, connect = "127.0.0.1:7002" }
                { name = in, role = engine, transport = udp, listen = 7001 }
                { name = both, role = engine, transport = udp, listen = 7003, connect = "127.0.0.1:7004" }
            """));

        Assert.Equal([(true, false), (false, true), (true, true)], lab.Peers.Select(peer => (peer.Connect is not null, peer.Listen is not null)));
        Assert.Equal([true, false, false], lab.Peers.Select(peer => peer.IsClient));
    }

    [Fact]
    public void Unix_socket_in_the_abstract_namespace()
    {
        var peer = Lab.Valid(Lab.WithPeers("{ name = ctl, role = controller, transport = unix, framing = engine, listen = \"@engine-ctl\" }")).Peers[0];

        Assert.Equal(new UnixDomainSocketEndPoint("\0engine-ctl"), peer.Listen);
        Assert.Equal("@engine-ctl", peer.Listen!.ToString());
    }

    [Fact]
    public void Unix_socket_path_of_107_bytes_is_accepted()
    {
        var path = "/run/" + new string('s', 102);
        Assert.Equal(new UnixDomainSocketEndPoint(path),
            Lab.Valid(Lab.WithPeers($"{{ name = p, role = quagga, transport = unix, listen = \"{path}\" }}")).Peers[0].Listen);
    }

    [Theory]
    [InlineData("\"127.0.0.1\"", "127.0.0.1/32")]
    [InlineData("[\"10.0.0.0/8\", \"::1\"]", "10.0.0.0/8,::1/128")]
    [InlineData("[\"0.0.0.0/0\"]", "0.0.0.0/0")]
    [InlineData("[]", "")]
    public void Allow_takes_prefixes_and_single_addresses(string written, string expected) =>
        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(IPNetwork.Parse),
            Lab.Valid(Lab.WithPeers($"{{ name = p, role = quagga, transport = tcp, listen = 5555, allow = {written} }}")).Peers[0].Allow);

    [Fact]
    public void Limits_are_inclusive()
    {
        var peer = Lab.Valid(Lab.WithPeers("""
            { name = p, role = engine, transport = tcp, connect = "127.0.0.1:5555", framing = engine, key = "0123456789abcdef",
                  reconnect-min = 10ms, reconnect-max = 10ms, keepalive = 100ms, dead-peer-timeout = 300ms, send-queue = 1000000, mtu = 68,
                  stall-timeout = 100ms }
            """)).Peers[0];

        Assert.Equal(("0123456789abcdef", 68, 1_000_000), (peer.Key, peer.Mtu, peer.SendQueue));
        Assert.Equal(TimeSpan.FromMilliseconds(10), peer.ReconnectMin);
        Assert.Equal(TimeSpan.FromMilliseconds(10), peer.ReconnectMax);
        Assert.Equal(TimeSpan.FromMilliseconds(100), peer.Keepalive);
        Assert.Equal(TimeSpan.FromMilliseconds(300), peer.DeadPeerTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(100), peer.StallTimeout);
    }

    [Fact]
    public void Peer_names_may_be_longer_than_interface_names()
    {
        var name = new string('p', 64);
        Assert.Equal(name, Lab.Valid(Lab.WithPeers($"{{ name = {name}, role = engine, transport = tcp, listen = 5555 }}")).Peers[0].Name);
    }

    [Fact]
    public void Peers_keep_the_order_of_the_file()
    {
        var lab = Lab.Valid(Lab.WithPeers("""
            { name = c, role = engine, transport = tcp, listen = 5003 }
                { name = a, role = engine, transport = tcp, listen = 5001 }
                { name = b, role = engine, transport = tcp, listen = 5002 }
            """));
        Assert.Equal(["c", "a", "b"], lab.Peers.Select(peer => peer.Name));
    }
}
