using Engine.Actors.Topology;
using Engine.Actors.Wire;
using Xunit;

namespace Engine.Tests.Topology;

/// <summary>
/// engine.control-plane: its namespace joins the lab's, each routed port gets a mirror named as
/// the port (a tun for a tun or a peer, a tap with the engine's MAC for a tap or a router
/// interface) carrying its gateway addresses with the subnet's prefix length, shown in the plan;
/// what cannot be mirrored is refused with the key path and the reason.
/// </summary>
public class ControlPlaneTopologyTests
{
    /// <summary>
    /// tun-a routed (10.0.1.254 in 10.0.1.0/24, fd00:1::fe), tap-b routed (10.0.2.254), tap-c and
    /// tap-d on switch lan (gateway 10.0.5.254/24), tun-w wired to peer wired; peers quagga
    /// (routed), wired (wired) and ctl (a controller).
    /// </summary>
    private static string WithControlPlane(string controlPlane, string peerName = "quagga", string tunA = "tun-a") => $$"""
        engine {
          devices = [
            { name = {{tunA}}, type = tun, namespace = host-a, address = ["10.0.1.1/24", "fd00:1::1/64"], gateway = ["10.0.1.254", "fd00:1::fe"] }
            { name = tap-b, type = tap, namespace = host-b, address = "10.0.2.1/24", gateway = "10.0.2.254" }
            { name = tap-c, type = tap, namespace = host-c, address = "10.0.5.1/24" }
            { name = tap-d, type = tap, namespace = host-d, address = "10.0.5.2/24" }
            { name = tun-w, type = tun, namespace = host-w }
          ]
          peers = [
            { name = {{peerName}}, role = quagga, transport = tcp, listen = 5555, framing = length16 }
            { name = wired, role = engine, transport = tcp, connect = "127.0.0.1:7000", framing = length16 }
            { name = ctl, role = controller, transport = unix, listen = "@ctl", framing = engine }
          ]
          wires = [ { ports = [tun-w, wired] } ]
          switches = [ { name = lan, ports = [tap-c, tap-d], gateway = "10.0.5.254/24" } ]
          {{controlPlane}}
        }
        """;

    [Fact]
    public void Each_routed_port_gets_a_mirror_of_its_name_with_its_gateway_addresses_and_the_namespace_is_the_labs()
    {
        var lab = Lab.Valid(WithControlPlane("control-plane { namespace = rtr }"));

        Assert.Equal(new ControlPlaneSpec("rtr"), lab.ControlPlane);
        Assert.Equal("rtr", lab.Namespaces.Last());
        var mirrors = ControlPlanePlan.Mirrors(lab);
        Assert.Equal(["tun-a", "tap-b", "quagga", "lan"], mirrors.Select(m => m.Port));
        Assert.All(mirrors, m => Assert.Equal((m.Port, "rtr", 0), (m.Device.Name, m.Device.Namespace, m.Device.Gateways.Length)));
        Assert.Equal([DeviceType.Tun, DeviceType.Tap, DeviceType.Tun, DeviceType.Tap], mirrors.Select(m => m.Device.Type));
        Assert.Equal([Address("10.0.1.254/24"), Address("fd00:1::fe/64")], mirrors[0].Device.Addresses.ToArray());
        Assert.Equal([Address("10.0.2.254/24")], mirrors[1].Device.Addresses.ToArray());
        Assert.Empty(mirrors[2].Device.Addresses.ToArray());
        Assert.Equal([Address("10.0.5.254/24")], mirrors[3].Device.Addresses.ToArray());
        Assert.Equal(MacAddress.LocallyAdministered("tap-b"), mirrors[1].Device.Mac);
        Assert.Equal(MacAddress.LocallyAdministered("lan"), mirrors[3].Device.Mac);
        Assert.Null(mirrors[0].Device.Mac);
    }

    [Fact]
    public void The_plan_creates_the_namespace_and_lists_each_mirror()
    {
        var plan = Lab.Valid(WithControlPlane("control-plane { namespace = rtr }")).Describe();

        Assert.Contains("would create namespace rtr (unless it exists)\n", plan);
        Assert.Contains("control-plane interface tun-a (tun) in rtr with 10.0.1.254/24, fd00:1::fe/64\n", plan);
        Assert.Contains($"control-plane interface tap-b (tap) in rtr with 10.0.2.254/24, mac {MacAddress.LocallyAdministered("tap-b")}\n", plan);
        Assert.Contains("control-plane interface quagga (tun) in rtr, no address\n", plan);
        Assert.Contains($"control-plane interface lan (tap) in rtr with 10.0.5.254/24, mac {MacAddress.LocallyAdministered("lan")}\n", plan);
        Assert.DoesNotContain("interface tun-w", plan);
        Assert.DoesNotContain("interface ctl", plan);
    }

    [Fact]
    public void Without_a_control_plane_nothing_is_mirrored()
    {
        var lab = Lab.Valid(WithControlPlane(""));

        Assert.Null(lab.ControlPlane);
        Assert.Empty(ControlPlanePlan.Mirrors(lab));
        Assert.DoesNotContain("control-plane", lab.Describe());
    }

    [Theory]
    [InlineData("control-plane { }", "engine.control-plane.namespace: required")]
    [InlineData("control-plane = rtr", "engine.control-plane: must be an object, got \"rtr\"")]
    [InlineData("control-plane { namespace = rtr, vrf = x }", "engine.control-plane.vrf: unknown key")]
    [InlineData("control-plane { namespace = \"a/b\" }", "engine.control-plane.namespace: namespace name \"a/b\" must not contain '/'")]
    [InlineData("control-plane { namespace = host-b }",
        "engine.control-plane.namespace: \"host-b\" is the namespace of device tap-b: the control plane needs a namespace of its own")]
    public void A_bad_control_plane_is_refused_with_its_path_and_reason(string controlPlane, string error) =>
        Assert.Equal([error], Lab.Errors(WithControlPlane(controlPlane)));

    [Fact]
    public void A_routed_peer_whose_name_no_interface_can_take_is_refused()
    {
        Assert.Equal(["engine.control-plane: cannot mirror quagga-of-the-far-lab: interface name \"quagga-of-the-far-lab\" is 21 bytes long; Linux allows at most 15"],
            Lab.Errors(WithControlPlane("control-plane { namespace = rtr }", peerName: "quagga-of-the-far-lab")));
        Assert.NotNull(Lab.Valid(WithControlPlane("", peerName: "quagga-of-the-far-lab")));
    }

    [Fact]
    public void A_routed_device_named_by_the_kernel_is_refused()
    {
        Assert.Equal(["engine.control-plane: cannot mirror tun%d: a name the kernel assigns is unknown until it runs; give the device a fixed name"],
            Lab.Errors(WithControlPlane("control-plane { namespace = rtr }", tunA: "tun%d")));
    }

    private static InterfaceAddress Address(string text)
    {
        Assert.True(InterfaceAddress.TryParse(text, out var address));
        return address;
    }
}
