using System.Text.Json;
using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// `engine reload` of a lab with a control-plane namespace: a routed port the reload adds gets
/// its interface there, with the engine's gateway address on its subnet, which reaches the new
/// host through it; a port it removes loses its interface; a port it wires (no longer routed)
/// loses its interface too, without being recreated. Ping through the unchanged routed pair
/// loses nothing meanwhile.
/// </summary>
[Collection("engine")]
public sealed class ReloadControlPlaneTests(ITestOutputHelper output)
{
    private const int Subnet = 72;

    [IntegrationFact]
    public void A_routed_port_a_reload_adds_gets_its_interface_in_the_control_plane_namespace_and_a_removed_one_loses_it()
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(Config(lab, [1, 2, 3]));
        try
        {
            var plane = lab.Namespace("rtr");
            Assert.Contains($"{LabConfigs.GatewayV4(Subnet, 3)}/24", Addresses(plane, lab.Device("h3")));

            File.WriteAllText(engine.ConfigPath, Config(lab, [1, 2, 4]));
            var (reload, ping) = ReloadCli.ReloadWhilePinging(output, engine, lab.Namespace("h1"), LabConfigs.V4(Subnet, 2));

            Assert.Equal(0, reload.ExitCode);
            using (var answer = JsonDocument.Parse(reload.Output))
            {
                Assert.Equal([lab.Device("h4")], ReloadCli.Names(answer, "devices", "added"));
                Assert.Equal([lab.Device("h3")], ReloadCli.Names(answer, "devices", "removed"));
            }
            Assert.Equal("0", ReloadCli.Loss(ping));
            Assert.Contains($"{LabConfigs.GatewayV4(Subnet, 4)}/24", Addresses(plane, lab.Device("h4")));
            Assert.NotEqual(0, Shell.InNamespace(plane, $"ip link show dev {lab.Device("h3")}").ExitCode);
            // The daemon's side reaches the new host through its interface, and the host its gateway.
            Pings.AssertAnswered(output, plane, LabConfigs.V4(Subnet, 4));
            Pings.AssertAnswered(output, lab.Namespace("h4"), LabConfigs.GatewayV4(Subnet, 4));
            Pings.AssertAnswered(output, lab.Namespace("h4"), LabConfigs.V4(Subnet, 1));
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void Ports_a_reload_wires_lose_their_interfaces_in_the_control_plane_namespace()
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(Config(lab, [1, 2, 3, 4], bare: true));
        try
        {
            var plane = lab.Namespace("rtr");
            Assert.Equal(0, Shell.InNamespace(plane, $"ip link show dev {lab.Device("h3")}").ExitCode);

            File.WriteAllText(engine.ConfigPath, Config(lab, [1, 2, 3, 4], bare: true, wires: true));
            var reload = ReloadCli.Run(output, $"reload --config {engine.ConfigPath} --json");

            Assert.Equal(0, reload.ExitCode);
            using (var answer = JsonDocument.Parse(reload.Output))
                Assert.Empty(ReloadCli.Names(answer, "devices", "recreated"));
            Assert.NotEqual(0, Shell.InNamespace(plane, $"ip link show dev {lab.Device("h3")}").ExitCode);
            Assert.NotEqual(0, Shell.InNamespace(plane, $"ip link show dev {lab.Device("h4")}").ExitCode);
            Assert.Equal(0, Shell.InNamespace(plane, $"ip link show dev {lab.Device("h1")}").ExitCode);
            // h3 and h4 are on one wire now: h3 reaches h4's address on its own subnet's link.
            Shell.InNamespace(lab.Namespace("h3"), $"ip route add {LabConfigs.V4(Subnet, 4)}/32 dev {lab.Device("h3")}");
            Shell.InNamespace(lab.Namespace("h4"), $"ip route add {LabConfigs.V4(Subnet, 3)}/32 dev {lab.Device("h4")}");
            Pings.AssertAnswered(output, lab.Namespace("h3"), LabConfigs.V4(Subnet, 4));
            Pings.AssertAnswered(output, lab.Namespace("h1"), LabConfigs.V4(Subnet, 2));
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    /// <summary>
    /// Tun hosts h{i} with the engine as gateway (h3 and h4 without one when <paramref name="bare"/>:
    /// a wired device has none), the control plane in namespace rtr, and h3 wired to h4 when <paramref name="wires"/>.
    /// </summary>
    private static string Config(TestLab lab, int[] hosts, bool bare = false, bool wires = false) =>
        $"engine {{\n  control-plane {{ namespace = {lab.Namespace("rtr")} }}\n  devices = [\n"
        + string.Concat(hosts.Select(i => bare && i is 3 or 4
            ? $"    {{ name = {lab.Device($"h{i}")}, type = tun, namespace = {lab.Namespace($"h{i}")}, address = [\"{LabConfigs.V4(Subnet, i)}/24\"] }}\n"
            : ReloadCli.RoutedHost(lab, Subnet, i)))
        + "  ]\n" + (wires ? $"  wires = [ {{ ports = [{lab.Device("h3")}, {lab.Device("h4")}] }} ]\n" : "") + "}\n";

    private static string Addresses(string ns, string device) => Shell.InNamespace(ns, $"ip -o -4 addr show dev {device}").Output;
}
