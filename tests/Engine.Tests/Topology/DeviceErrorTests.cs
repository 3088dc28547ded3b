using Xunit;

namespace Engine.Tests.Topology;

public class DeviceErrorTests
{
    [Theory]
    // name
    [InlineData("{ type = tun }", "engine.devices[0].name: required")]
    [InlineData("{ name = null, type = tun }", "engine.devices[0].name: required")]
    [InlineData("{ name = [tun-a], type = tun }", "engine.devices[0].name: must be an interface name, got a list")]
    [InlineData("{ name = { a = 1 }, type = tun }", "engine.devices[0].name: must be an interface name, got an object")]
    [InlineData("{ name = \"\", type = tun }", "engine.devices[0].name: must not be empty")]
    [InlineData("{ name = averyveryverylongname, type = tun }",
        "engine.devices[0].name: interface name \"averyveryverylongname\" is 21 bytes long; Linux allows at most 15")]
    [InlineData("{ name = \"tün-äöü-ß-12\", type = tun }",
        "engine.devices[0].name: interface name \"tün-äöü-ß-12\" is 17 bytes long; Linux allows at most 15")]
    [InlineData("{ name = \"a/b\", type = tun }", "engine.devices[0].name: interface name \"a/b\" must not contain '/'")]
    [InlineData("{ name = \"eth0:1\", type = tun }", "engine.devices[0].name: interface name \"eth0:1\" must not contain ':'")]
    [InlineData("{ name = tun a, type = tun }",
        "engine.devices[0].name: interface name \"tun a\" must not contain whitespace or control characters")]
    [InlineData("{ name = \"tun\\ta\", type = tun }",
        "engine.devices[0].name: interface name \"tun\\ta\" must not contain whitespace or control characters")]
    [InlineData("{ name = \"..\", type = tun }", "engine.devices[0].name: interface name \"..\" is not allowed")]
    [InlineData("{ name = \".\", type = tun }", "engine.devices[0].name: interface name \".\" is not allowed")]
    [InlineData("{ name = \"tun%s\", type = tun }",
        "engine.devices[0].name: interface name \"tun%s\" may contain '%' only as a single \"%d\" for a kernel-assigned number")]
    [InlineData("{ name = \"t%d%d\", type = tun }",
        "engine.devices[0].name: interface name \"t%d%d\" may contain '%' only as a single \"%d\" for a kernel-assigned number")]
    // type
    [InlineData("{ name = tun-a }", "engine.devices[0].type: required")]
    [InlineData("{ name = tun-a, type = tan }", "engine.devices[0].type: must be tun or tap, got \"tan\"")]
    [InlineData("{ name = tun-a, type = TUN }", "engine.devices[0].type: must be tun or tap, got \"TUN\"")]
    [InlineData("{ name = tun-a, type = [tun] }", "engine.devices[0].type: must be tun or tap, got a list")]
    // namespace
    [InlineData("{ name = tun-a, type = tun, namespace = \"a/b\" }",
        "engine.devices[0].namespace: namespace name \"a/b\" must not contain '/'")]
    [InlineData("{ name = tun-a, type = tun, namespace = \"..\" }", "engine.devices[0].namespace: namespace name \"..\" is not allowed")]
    [InlineData("{ name = tun-a, type = tun, namespace = \"\" }", "engine.devices[0].namespace: must not be empty")]
    [InlineData("{ name = tun-a, type = tun, namespace = [host-a] }", "engine.devices[0].namespace: must be a namespace name, got a list")]
    // mtu
    [InlineData("{ name = tun-a, type = tun, mtu = big }", "engine.devices[0].mtu: must be a number from 68 to 65535, got \"big\"")]
    [InlineData("{ name = tun-a, type = tun, mtu = 67 }", "engine.devices[0].mtu: must be a number from 68 to 65535, got 67")]
    [InlineData("{ name = tun-a, type = tun, mtu = 65536 }", "engine.devices[0].mtu: must be a number from 68 to 65535, got 65536")]
    [InlineData("{ name = tun-a, type = tun, mtu = -1 }", "engine.devices[0].mtu: must be a number from 68 to 65535, got -1")]
    [InlineData("{ name = tun-a, type = tun, mtu = 1500.5 }", "engine.devices[0].mtu: must be a number from 68 to 65535, got 1500.5")]
    [InlineData("{ name = tun-a, type = tun, mtu = [1500] }", "engine.devices[0].mtu: must be a number from 68 to 65535, got a list")]
    [InlineData("{ name = tun-a, type = tun, address = [\"10.0.1.1/24\", \"fd00::1/64\"], mtu = 1200 }",
        "engine.devices[0].mtu: must be at least 1280 because the device has an IPv6 address (fd00::1/64), got 1200")]
    // persistent
    [InlineData("{ name = tun-a, type = tun, persistent = maybe }", "engine.devices[0].persistent: must be true or false, got \"maybe\"")]
    [InlineData("{ name = tun-a, type = tun, persistent = 1 }", "engine.devices[0].persistent: must be true or false, got 1")]
    [InlineData("{ name = tun-a, type = tun, offload = on }",
        "engine.devices[0].offload: must be auto, off or a list of offloads (checksum, tso4, tso6, tso-ecn, uso), got \"on\"")]
    [InlineData("{ name = tun-a, type = tun, offload = [auto] }", "engine.devices[0].offload[0]: must be one of checksum, tso4, tso6, tso-ecn, uso, got \"auto\"")]
    [InlineData("{ name = tun-a, type = tun, offload = [checksum, ufo] }", "engine.devices[0].offload[1]: must be one of checksum, tso4, tso6, tso-ecn, uso, got \"ufo\"")]
    [InlineData("{ name = tun-a, type = tun, offload = [] }", "engine.devices[0].offload: must name at least one offload (off turns them all off)")]
    [InlineData("{ name = tun-a, type = tun, offload = [tso4] }", "engine.devices[0].offload: needs checksum: the kernel grants no other offload without it")]
    [InlineData("{ name = tun-a, type = tun, offload = [checksum, tso-ecn] }", "engine.devices[0].offload: tso-ecn needs tso4 or tso6")]
    [InlineData("{ name = tun-a, type = tun, offload = [[checksum]] }", "engine.devices[0].offload[0]: must be an offload name, got a list")]
    [InlineData("{ name = tun-a, type = tun, queues = 0 }", "engine.devices[0].queues: must be a number from 1 to 16, got 0")]
    [InlineData("{ name = tun-a, type = tun, queues = 17 }", "engine.devices[0].queues: must be a number from 1 to 16, got 17")]
    [InlineData("{ name = \"tun%d\", type = tun, persistent = true }",
        "engine.devices[0].persistent: a persistent device needs a fixed name, not the template \"tun%d\"")]
    // switch
    [InlineData("{ name = tun-a, type = tun, switch = lan1 }",
        "engine.devices[0].switch: only tap devices can join a switch: a tun device carries no Ethernet frames")]
    [InlineData("{ name = tap-a, type = tap, switch = \"lan 1\" }",
        "engine.devices[0].switch: switch name \"lan 1\" must not contain whitespace or control characters")]
    [InlineData("{ name = tap-a, type = tap, switch = \"\" }", "engine.devices[0].switch: must not be empty")]
    [InlineData("{ name = tap-a, type = tap, switch = lan1 }",
        "engine.devices[0].switch: a device does not name its switch: list it among the ports of engine.switches = [ { name, ports = [...] } ]")]
    // shape and unknown keys
    [InlineData("{ name = tun-a, type = tun, colour = blue }", "engine.devices[0].colour: unknown key")]
    [InlineData("{ name = tun-a, type = tun, addresses = \"10.0.1.1/24\" }", "engine.devices[0].addresses: unknown key")]
    [InlineData("tun-a", "engine.devices[0]: must be an object, got \"tun-a\"")]
    [InlineData("[ { name = tun-a, type = tun } ]", "engine.devices[0]: must be an object, got a list")]
    public void Device_error_is_reported_with_its_path(string device, string expected) =>
        Assert.Equal(Lab.Lines(expected), Lab.Errors(Lab.WithDevices(device)));

    [Theory]
    [InlineData("[\"10.0.1.1/24\", \"10.0.1.300/24\"]", "engine.devices[0].address[1]: not an address with prefix length: \"10.0.1.300/24\"")]
    [InlineData("\"10.0.1.1\"", "engine.devices[0].address: not an address with prefix length: \"10.0.1.1\"")]
    [InlineData("\"10.0.1.1/\"", "engine.devices[0].address: not an address with prefix length: \"10.0.1.1/\"")]
    [InlineData("\"10.0.1.1/x\"", "engine.devices[0].address: not an address with prefix length: \"10.0.1.1/x\"")]
    [InlineData("\"10.1/8\"", "engine.devices[0].address: not an address with prefix length: \"10.1/8\"")]
    [InlineData("\"010.0.0.1/8\"", "engine.devices[0].address: not an address with prefix length: \"010.0.0.1/8\"")]
    [InlineData("\"fe80::1%eth0/64\"", "engine.devices[0].address: not an address with prefix length: \"fe80::1%eth0/64\"")]
    [InlineData("\"tun-a/24\"", "engine.devices[0].address: not an address with prefix length: \"tun-a/24\"")]
    [InlineData("\"10.0.1.1/33\"", "engine.devices[0].address: prefix length 33 is out of range for IPv4 (0..32): \"10.0.1.1/33\"")]
    [InlineData("\"fd00::1/129\"", "engine.devices[0].address: prefix length 129 is out of range for IPv6 (0..128): \"fd00::1/129\"")]
    [InlineData("{ a = 1 }", "engine.devices[0].address: must be an address with prefix length or a list of them, got an object")]
    [InlineData("[[\"10.0.1.1/24\"]]", "engine.devices[0].address[0]: must be an address with prefix length, got a list")]
    [InlineData("[\"10.0.1.1/24\", \"10.0.1.1/16\"]", "engine.devices[0].address[1]: duplicate address 10.0.1.1 (also engine.devices[0].address[0])")]
    public void Address_error_is_reported_with_its_index(string address, string expected) =>
        Assert.Equal(Lab.Lines(expected), Lab.Errors(Lab.WithDevices($"{{ name = tun-a, type = tun, address = {address} }}")));

    [Theory]
    [InlineData("\"10.0.1.1/24\"", "\"10.0.1.254/24\"", "engine.devices[0].gateway: not an address: \"10.0.1.254/24\"")]
    [InlineData("\"10.0.1.1/24\"", "\"10.0.1\"", "engine.devices[0].gateway: not an address: \"10.0.1\"")]
    [InlineData("[]", "\"10.0.1.254\"", "engine.devices[0].gateway: gateway 10.0.1.254 needs an IPv4 address on the device")]
    [InlineData("\"10.0.1.1/24\"", "\"fd00::fe\"", "engine.devices[0].gateway: gateway fd00::fe needs an IPv6 address on the device")]
    [InlineData("\"10.0.1.1/24\"", "\"10.0.2.254\"", "engine.devices[0].gateway: gateway 10.0.2.254 is outside the device's IPv4 subnet 10.0.1.0/24")]
    [InlineData("[\"10.0.1.1/24\", \"10.0.3.1/24\"]", "\"10.0.2.254\"",
        "engine.devices[0].gateway: gateway 10.0.2.254 is outside the device's IPv4 subnets 10.0.1.0/24, 10.0.3.0/24")]
    [InlineData("\"10.0.1.1/32\"", "\"10.0.1.2\"", "engine.devices[0].gateway: gateway 10.0.1.2 is outside the device's IPv4 subnet 10.0.1.1/32")]
    [InlineData("\"10.0.1.1/24\"", "\"10.0.1.1\"", "engine.devices[0].gateway: gateway 10.0.1.1 is the device's own address")]
    [InlineData("[\"10.0.1.1/24\", \"10.0.1.254/24\"]", "\"10.0.1.254\"", "engine.devices[0].gateway: gateway 10.0.1.254 is the device's own address")]
    [InlineData("\"10.0.1.1/24\"", "[\"10.0.1.254\", \"10.0.1.253\"]",
        "engine.devices[0].gateway[1]: a second IPv4 gateway (also engine.devices[0].gateway[0]): a namespace has one default route per family")]
    [InlineData("\"10.0.1.1/24\"", "{ v4 = \"10.0.1.254\" }", "engine.devices[0].gateway: must be an address or a list of them, got an object")]
    // An unreadable address gives one error, not a second one about the gateway it would have served.
    [InlineData("\"10.0.1.1\"", "\"10.0.1.254\"", "engine.devices[0].address: not an address with prefix length: \"10.0.1.1\"")]
    public void Gateway_error_is_reported_with_its_index(string address, string gateway, string expected) =>
        Assert.Equal(Lab.Lines(expected),
            Lab.Errors(Lab.WithDevices($"{{ name = tun-a, type = tun, namespace = h, address = {address}, gateway = {gateway} }}")));

    [Fact]
    public void Namespace_name_longer_than_255_bytes_is_refused()
    {
        var name = new string('n', 256);
        Assert.Equal(["engine.devices[0].namespace: namespace name is 256 bytes long; Linux allows at most 255"],
            Lab.Errors(Lab.WithDevices($"{{ name = tun-a, type = tun, namespace = {name} }}")));
    }

    [Fact]
    public void Namespace_name_of_255_bytes_is_accepted()
    {
        var name = new string('n', 255);
        Assert.Equal(name, Lab.Valid(Lab.WithDevices($"{{ name = tun-a, type = tun, namespace = {name} }}")).Devices[0].Namespace);
    }
}
