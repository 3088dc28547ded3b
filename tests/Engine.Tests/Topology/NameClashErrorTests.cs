using Engine.Actors.Topology;
using Xunit;

namespace Engine.Tests.Topology;

/// <summary>
/// Names and addresses that two things in one namespace cannot both have: a device named like
/// the loopback, a fixed name a template may be given, a name the kernel already uses, two
/// listeners on one address.
/// </summary>
public class NameClashErrorTests
{
    [Fact]
    public void Device_named_lo_is_refused() =>
        Assert.Equal(["engine.devices[0].name: interface name \"lo\" is the loopback device every namespace already has"],
            Lab.Errors(Lab.WithDevices("{ name = lo, type = tun, namespace = h }")));

    [Theory]
    [InlineData("""
        { name = "tun%d", type = tun, namespace = h }
            { name = tun0, type = tun, namespace = h }
        """,
        "engine.devices[1].name: \"tun0\" is a name the kernel may give the template \"tun%d\" (engine.devices[0]) in namespace h")]
    [InlineData("""
        { name = tun12, type = tun }
            { name = "tun%d", type = tun }
        """,
        "engine.devices[1].name: \"tun12\" is a name the kernel may give the template \"tun%d\" (engine.devices[0]) in the engine's namespace")]
    [InlineData("""
        { name = "e%d-x", type = tap, namespace = h }
            { name = e7-x, type = tun, namespace = h }
        """,
        "engine.devices[1].name: \"e7-x\" is a name the kernel may give the template \"e%d-x\" (engine.devices[0]) in namespace h")]
    public void Fixed_name_a_template_may_be_given_in_its_namespace_is_refused(string devices, string expected) =>
        Assert.Equal([expected], Lab.Errors(Lab.WithDevices(devices)));

    [Theory]
    [InlineData("""{ name = "tun%d", type = tun, namespace = a }""", """{ name = tun0, type = tun, namespace = b }""")]
    [InlineData("""{ name = "tun%d", type = tun }""", """{ name = tun01, type = tun }""")]
    [InlineData("""{ name = "tun%d", type = tun }""", """{ name = tunnel, type = tun }""")]
    public void Names_a_template_cannot_be_given_are_fine(string template, string other) =>
        Lab.Valid(Lab.WithDevices(template + "\n" + other));

    [Fact]
    public void Name_the_kernel_already_uses_in_the_namespace_is_refused_and_checked_only_where_known()
    {
        var kernel = new FakeLinks { ["h"] = ["lo", "eth0"], [""] = ["lo", "eth0", "tun-b"] };
        var result = TopologyParser.Parse(Lab.WithDevices("""
            { name = eth0, type = tun, namespace = h }
                { name = tun-b, type = tun }
                { name = tun-c, type = tun, namespace = elsewhere }
            """), kernel: kernel);
        Assert.Equal([
            "engine.devices[0].name: namespace h already has a link named \"eth0\"",
            "engine.devices[1].name: the engine's namespace already has a link named \"tun-b\"",
        ], result.ErrorLines);
    }

    [Fact]
    public void Persistent_device_may_find_its_own_link_from_an_earlier_run()
    {
        var kernel = new FakeLinks { ["h"] = ["lo", "tun-a"] };
        var result = TopologyParser.Parse(Lab.WithDevices("{ name = tun-a, type = tun, namespace = h, persistent = true }"), kernel: kernel);
        Assert.True(result.IsValid, string.Join("\n", result.ErrorLines));
    }

    [Theory]
    [InlineData("""
        { name = p, role = quagga, transport = tcp, listen = "127.0.0.1:5555" }
            { name = q, role = quagga, transport = tcp, listen = 5555 }
        """,
        "engine.peers[1].listen: engine.peers[0] already listens on 127.0.0.1:5555 (tcp, in the engine's namespace)")]
    [InlineData("""
        { name = p, role = quagga, transport = tcp, listen = "0.0.0.0:5555" }
            { name = q, role = quagga, transport = tcp, listen = "10.0.1.254:5555" }
        """,
        "engine.peers[1].listen: engine.peers[0] already listens on 0.0.0.0:5555 (tcp, in the engine's namespace)")]
    [InlineData("""
        { name = p, role = engine, transport = udp, listen = "[::1]:7001", framing = engine }
            { name = q, role = engine, transport = udp, listen = "[::]:7001", framing = engine }
        """,
        "engine.peers[1].listen: engine.peers[0] already listens on [::1]:7001 (udp, in the engine's namespace)")]
    [InlineData("""
        { name = p, role = quagga, transport = unix, listen = "/run/engine-test.sock" }
            { name = q, role = quagga, transport = unix, listen = "/run/engine-test.sock", namespace = h }
        """,
        "engine.peers[1].listen: engine.peers[0] already listens on /run/engine-test.sock (unix, in namespace h)")]
    public void Two_listeners_on_one_address_are_refused(string peers, string expected) =>
        Assert.Equal([expected], Lab.Errors(Lab.WithPeers(peers)));

    [Theory]
    [InlineData("""{ name = p, role = quagga, transport = tcp, listen = 5555 }""", """{ name = q, role = engine, transport = udp, listen = 5555 }""")]
    [InlineData("""{ name = p, role = quagga, transport = tcp, listen = 5555 }""", """{ name = q, role = quagga, transport = tcp, listen = 5556 }""")]
    [InlineData("""{ name = p, role = quagga, transport = tcp, listen = 5555 }""", """{ name = q, role = quagga, transport = tcp, listen = 5555, namespace = h }""")]
    [InlineData("""{ name = p, role = quagga, transport = unix, listen = "@s" }""", """{ name = q, role = quagga, transport = unix, listen = "@s", namespace = h }""")]
    public void Listeners_that_do_not_meet_are_fine(string first, string second) =>
        Lab.Valid(Lab.WithPeers(first + "\n" + second));

    private sealed class FakeLinks : Dictionary<string, string[]>, ILinkNames
    {
        public bool IsTaken(string? space, string name) => TryGetValue(space ?? "", out var links) && links.Contains(name);
    }
}
