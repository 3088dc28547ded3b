using System.Text.Json;
using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// `engine reload` of a lab's switches: a switch added (with its router interface) switches and
/// routes its hosts' traffic, one removed with its hosts is gone, one changed (a member more) is
/// recreated with its router interface, and an unchanged one keeps the MAC addresses it learned;
/// ping through the unchanged routed pair loses nothing meanwhile.
/// </summary>
[Collection("engine")]
public sealed class ReloadSwitchTests(ITestOutputHelper output)
{
    private const int Subnet = 69;

    [IntegrationFact]
    public void A_reload_adds_and_removes_switches_and_an_unchanged_one_keeps_its_mac_table()
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(Config(lab, ("sw1", 5, ["a1", "a2", "a3"], true), ("sw2", 6, ["b1", "b2"], false)));
        try
        {
            var h1 = lab.Namespace("h1");
            QuietPair(lab, "a1", Host(5, 1), "a2", Host(5, 2), "a3");
            Pings.AssertAnswered(output, h1, LabConfigs.V4(Subnet, 2));
            Pings.AssertAnswered(output, lab.Namespace("a1"), Host(5, 2));
            Pings.AssertAnswered(output, lab.Namespace("b1"), Host(6, 2));

            File.WriteAllText(engine.ConfigPath, Config(lab, ("sw1", 5, ["a1", "a2", "a3"], true), ("sw3", 7, ["c1", "c2"], true)));
            var (reload, ping) = ReloadCli.ReloadWhilePinging(output, engine, h1, LabConfigs.V4(Subnet, 2));

            Assert.Equal(0, reload.ExitCode);
            using (var answer = JsonDocument.Parse(reload.Output))
            {
                Assert.Equal(["sw3"], ReloadCli.Names(answer, "switches", "added"));
                Assert.Equal(["sw2"], ReloadCli.Names(answer, "switches", "removed"));
                Assert.Empty(ReloadCli.Names(answer, "switches", "recreated"));
            }
            Assert.Equal("0", ReloadCli.Loss(ping));

            // The new switch joins its hosts, and its router interface routes them to the others.
            Pings.AssertAnswered(output, lab.Namespace("c1"), Host(7, 2));
            Pings.AssertAnswered(output, lab.Namespace("c1"), Gateway(7));
            Pings.AssertAnswered(output, lab.Namespace("c2"), LabConfigs.V4(Subnet, 1));
            Assert.DoesNotContain(lab.Namespace("b1"), Shell.Namespaces());

            // sw1 still knows a2's address, which a2 has not sent from since: a1's ping to it goes to a2
            // alone, not flooded to a3 as to an unknown address.
            using var a3 = Background.InNamespace(lab.Namespace("a3"), $"timeout 5 tcpdump -n -l -i {lab.Device("a3")} icmp");
            Thread.Sleep(1500);
            Pings.AssertAnswered(output, lab.Namespace("a1"), Host(5, 2));
            Assert.True(a3.WaitForExit(TimeSpan.FromSeconds(15)), "tcpdump did not finish");
            output.WriteLine(a3.Output);
            Assert.Contains("0 packets captured", a3.Output);
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void A_switch_given_a_member_more_is_recreated_with_its_router_interface()
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(Config(lab, ("sw1", 5, ["a1", "a2"], true)));
        try
        {
            Pings.AssertAnswered(output, lab.Namespace("a1"), Host(5, 2));

            File.WriteAllText(engine.ConfigPath, Config(lab, ("sw1", 5, ["a1", "a2", "a3"], true)));
            var reload = ReloadCli.Run(output, $"reload --config {engine.ConfigPath} --json");

            Assert.Equal(0, reload.ExitCode);
            using (var answer = JsonDocument.Parse(reload.Output))
            {
                Assert.Equal(["sw1"], ReloadCli.Names(answer, "switches", "recreated"));
                Assert.Equal([lab.Device("a3")], ReloadCli.Names(answer, "devices", "added"));
                Assert.Empty(ReloadCli.Names(answer, "devices", "recreated"));
            }
            Pings.AssertAnswered(output, lab.Namespace("a3"), Host(5, 1));
            Pings.AssertAnswered(output, lab.Namespace("a3"), Gateway(5));
            Pings.AssertAnswered(output, lab.Namespace("a3"), LabConfigs.V4(Subnet, 2));
            Pings.AssertAnswered(output, lab.Namespace("h1"), Host(5, 2));
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    /// <summary>
    /// Hosts <paramref name="one"/> and <paramref name="two"/> send nothing but what they are asked
    /// to (no IPv6, no ARP: each knows the other's MAC for good), and neither does <paramref name="third"/>:
    /// what their switch learns from them afterwards comes from their pings alone.
    /// </summary>
    private static void QuietPair(TestLab lab, string one, string oneAddress, string two, string twoAddress, string third)
    {
        foreach (var host in new[] { one, two, third })
            MustRun(lab.Namespace(host), $"sysctl -qw net.ipv6.conf.{lab.Device(host)}.disable_ipv6=1");
        MustRun(lab.Namespace(one), $"ip neigh replace {twoAddress} lladdr {Mac(lab, two)} dev {lab.Device(one)} nud permanent");
        MustRun(lab.Namespace(two), $"ip neigh replace {oneAddress} lladdr {Mac(lab, one)} dev {lab.Device(two)} nud permanent");
    }

    private static string Mac(TestLab lab, string host) => MustRun(lab.Namespace(host), $"cat /sys/class/net/{lab.Device(host)}/address").Trim();

    private static string MustRun(string ns, string command)
    {
        var result = Shell.InNamespace(ns, command);
        Assert.True(result.ExitCode == 0, $"{command} in {ns}: {result.All}");
        return result.Output;
    }

    /// <summary>
    /// Hosts h1 and h2 routed (the unchanged pair), and each switch's hosts on taps of subnet
    /// 10.69.{segment}.0/24, with the router interface {segment}.254 when it has a gateway.
    /// </summary>
    private static string Config(TestLab lab, params (string Name, int Segment, string[] Hosts, bool Gateway)[] switches)
    {
        var text = new System.Text.StringBuilder("engine {\n  counters-interval = 1s\n  devices = [\n");
        foreach (var i in new[] { 1, 2 })
            text.Append(ReloadCli.RoutedHost(lab, Subnet, i));
        foreach (var (_, segment, hosts, gateway) in switches)
            foreach (var (host, i) in hosts.Select((h, i) => (h, i + 1)))
                text.Append($"    {{ name = {lab.Device(host)}, type = tap, namespace = {lab.Namespace(host)}, address = [\"{Host(segment, i)}/24\"]")
                    .Append(gateway ? $", gateway = [\"{Gateway(segment)}\"] }}\n" : " }\n");
        text.Append("  ]\n  switches = [\n");
        foreach (var (name, segment, hosts, gateway) in switches)
            text.Append($"    {{ name = {name}, ports = [{string.Join(", ", hosts.Select(lab.Device))}]")
                .Append(gateway ? $", gateway = [\"{Gateway(segment)}/24\"] }}\n" : " }\n");
        return text.Append("  ]\n}\n").ToString();
    }

    private static string Host(int segment, int host) => $"10.{Subnet}.{segment}.{host}";

    private static string Gateway(int segment) => $"10.{Subnet}.{segment}.254";


}
