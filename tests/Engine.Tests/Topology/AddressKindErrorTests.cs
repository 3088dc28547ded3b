using Xunit;

namespace Engine.Tests.Topology;

/// <summary>
/// Addresses no single host owns on a link: a device, a gateway, a route or a peer's socket
/// given one is refused by `check`, not found out later by the kernel (or never).
/// </summary>
public class AddressKindErrorTests
{
    [Theory]
    [InlineData("10.0.1.0/24", "engine.devices[0].address: 10.0.1.0/24 is the network address of 10.0.1.0/24, not a host's address")]
    [InlineData("10.0.1.255/24", "engine.devices[0].address: 10.0.1.255/24 is the broadcast address of 10.0.1.0/24, not a host's address")]
    [InlineData("10.0.1.3/30", "engine.devices[0].address: 10.0.1.3/30 is the broadcast address of 10.0.1.0/30, not a host's address")]
    [InlineData("224.0.0.1/24", "engine.devices[0].address: 224.0.0.1/24 is a multicast address, not a host's address")]
    [InlineData("255.255.255.255/32", "engine.devices[0].address: 255.255.255.255/32 is the limited broadcast address, not a host's address")]
    [InlineData("0.0.0.0/8", "engine.devices[0].address: 0.0.0.0/8 is the unspecified address, not a host's address")]
    [InlineData("0.1.2.3/8", "engine.devices[0].address: 0.1.2.3/8 is in 0.0.0.0/8 ('this network', never a destination), not a host's address")]
    [InlineData("127.0.0.2/8", "engine.devices[0].address: 127.0.0.2/8 is a loopback address (lo has those), not a host's address")]
    [InlineData("ff02::1/64", "engine.devices[0].address: ff02::1/64 is a multicast address, not a host's address")]
    [InlineData("::/64", "engine.devices[0].address: ::/64 is the unspecified address, not a host's address")]
    [InlineData("::1/128", "engine.devices[0].address: ::1/128 is a loopback address (lo has those), not a host's address")]
    [InlineData("::ffff:10.0.1.1/120", "engine.devices[0].address: ::ffff:10.0.1.1/120 is an IPv4-mapped IPv6 address, not a host's address")]
    public void Device_address_that_is_no_hosts_is_refused(string address, string expected) =>
        Assert.Equal([expected], Lab.Errors(Lab.WithDevices($"{{ name = tun-a, type = tun, namespace = h, address = \"{address}\" }}")));

    [Theory]
    [InlineData("10.0.1.0", "engine.devices[0].gateway: gateway 10.0.1.0 is the network address of 10.0.1.0/24")]
    [InlineData("10.0.1.255", "engine.devices[0].gateway: gateway 10.0.1.255 is the broadcast address of 10.0.1.0/24")]
    [InlineData("224.0.0.9", "engine.devices[0].gateway: gateway 224.0.0.9 is a multicast address")]
    [InlineData("127.0.0.1", "engine.devices[0].gateway: gateway 127.0.0.1 is a loopback address")]
    public void Gateway_that_is_no_hosts_is_refused(string gateway, string expected) =>
        Assert.Equal([expected], Lab.Errors(Lab.WithDevices(
            $"{{ name = tun-a, type = tun, namespace = h, address = \"10.0.1.1/24\", gateway = \"{gateway}\" }}")));

    [Fact]
    public void Point_to_point_subnets_have_no_network_or_broadcast_address() =>
        Lab.Valid(Lab.WithDevices("""
            { name = tun-a, type = tun, namespace = a, address = "10.0.1.0/31", gateway = "10.0.1.1" }
                { name = tun-b, type = tun, namespace = b, address = "10.0.2.255/32" }
            """));

    [Theory]
    [InlineData("127.0.0.0/8", "engine.routes[0].prefix: 127.0.0.0/8 is loopback, which never leaves a host")]
    [InlineData("127.1.0.0/16", "engine.routes[0].prefix: 127.1.0.0/16 is loopback, which never leaves a host")]
    [InlineData("::1/128", "engine.routes[0].prefix: ::1/128 is loopback, which never leaves a host")]
    [InlineData("::ffff:10.0.0.0/104", "engine.routes[0].prefix: ::ffff:10.0.0.0/104 is IPv4-mapped IPv6 space, which never appears on a link")]
    public void Route_to_space_nothing_is_sent_to_is_refused(string prefix, string expected) =>
        Assert.Equal([expected], Lab.Errors(Lab.WithRoutes($"{{ prefix = \"{prefix}\", via = tun-a }}")));

    [Fact]
    public void Default_route_covers_loopback_but_is_a_route_all_the_same() =>
        Lab.Valid(Lab.WithRoutes("""{ prefix = "0.0.0.0/0", via = tun-a }"""));

    [Theory]
    [InlineData("{ name = p, role = quagga, transport = tcp, connect = \"224.0.0.1:5555\" }",
        "engine.peers[0].connect: cannot connect to 224.0.0.1, a multicast address: \"224.0.0.1:5555\"")]
    [InlineData("{ name = p, role = engine, transport = udp, connect = \"255.255.255.255:7001\" }",
        "engine.peers[0].connect: cannot connect to 255.255.255.255, the limited broadcast address: \"255.255.255.255:7001\"")]
    [InlineData("{ name = p, role = quagga, transport = tcp, listen = \"224.0.0.1:5555\" }",
        "engine.peers[0].listen: cannot listen on 224.0.0.1, a multicast address: \"224.0.0.1:5555\"")]
    [InlineData("{ name = p, role = engine, transport = udp, listen = \"[ff02::1]:7001\" }",
        "engine.peers[0].listen: cannot listen on ff02::1, a multicast address: \"[ff02::1]:7001\"")]
    [InlineData("{ name = p, role = engine, transport = udp, listen = \"[::ffff:127.0.0.1]:7001\" }",
        "engine.peers[0].listen: cannot listen on ::ffff:127.0.0.1, an IPv4-mapped IPv6 address: \"[::ffff:127.0.0.1]:7001\"")]
    [InlineData("{ name = p, role = engine, transport = udp, listen = 7001, connect = \"127.0.0.1:7001\" }",
        "engine.peers[0].connect: 127.0.0.1:7001 is the peer's own listen address: it would send to itself")]
    public void Peer_endpoint_no_single_host_owns_is_refused(string peer, string expected) =>
        Assert.Equal([expected], Lab.Errors(Lab.WithPeers(peer)));
}
