using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static Engine.IntegrationTests.Infrastructure.Frr.FrrChecks;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// 802.1Q on a switch of real taps: hosts on access ports of one VLAN reach each other, a host
/// in another VLAN (same subnet) is not reached, and a host whose tap is a trunk answers in each
/// VLAN in frames tagged with its id (a script: this kernel may lack 8021q).
/// </summary>
[Collection("engine")]
public sealed class SwitchVlanTests(ITestOutputHelper output)
{
    [IntegrationFact]
    public void Access_hosts_reach_their_vlan_only_and_a_trunk_host_reaches_each_vlan_on_its_subinterface()
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(Config(lab));
        try
        {
            // v4's tap is a trunk; the host behind it tags VLAN 10 and 20 itself (tests need no 8021q in the kernel).
            using var trunkHost = Background.InNamespace(lab.Namespace("v4"),
                $"python3 {Script} {lab.Device("v4")} 02:00:00:00:0a:04 10=10.80.0.4 20=10.81.0.4");
            Eventually(output, "the trunk host listening", () => trunkHost.Output.Contains("ready") || trunkHost.HasExited);
            Assert.False(trunkHost.HasExited, trunkHost.Output);
            Assert.Equal(0, Shell.InNamespace(lab.Namespace("v3"), $"ip addr add 10.81.0.3/24 dev {lab.Device("v3")}").ExitCode);

            AssertPing(output, lab.Namespace("v1"), "10.80.0.2");
            AssertPing(output, lab.Namespace("v1"), "10.80.0.4");
            AssertPing(output, lab.Namespace("v2"), "10.80.0.4");
            AssertPing(output, lab.Namespace("v3"), "10.81.0.4");

            // v3 is in 10.80.0.0/24 too, but in VLAN 20: v1's ARP never reaches it.
            var across = Shell.InNamespace(lab.Namespace("v1"), "ping -n -c 2 -i 0.2 -W 1 10.80.0.3");
            output.WriteLine(across.All);
            Assert.NotEqual(0, across.ExitCode);
            var fromV3 = Shell.InNamespace(lab.Namespace("v3"), "ping -n -c 2 -i 0.2 -W 1 10.80.0.4");
            Assert.NotEqual(0, fromV3.ExitCode);
            Assert.DoesNotMatch("(storm|no-buffer|too-big|malformed|unsupported)=", engine.Log);
            output.WriteLine(trunkHost.Output);
            Assert.Contains("echo vlan 10", trunkHost.Output);
            Assert.Contains("echo vlan 20", trunkHost.Output);
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    private static string Script => Path.Combine(Repository.Root, "tests/Engine.IntegrationTests/Scripts/vlan_trunk_host.py");

    /// <summary>v1 and v2 access ports of VLAN 10, v3 of VLAN 20, v4 a trunk of both (its tap has no address of its own).</summary>
    private static string Config(TestLab lab) => $$"""
        engine {
          node-name = vlans
          counters-interval = 1s
          devices = [
            { name = {{lab.Device("v1")}}, type = tap, namespace = {{lab.Namespace("v1")}}, address = "10.80.0.1/24" }
            { name = {{lab.Device("v2")}}, type = tap, namespace = {{lab.Namespace("v2")}}, address = "10.80.0.2/24" }
            { name = {{lab.Device("v3")}}, type = tap, namespace = {{lab.Namespace("v3")}}, address = "10.80.0.3/24" }
            { name = {{lab.Device("v4")}}, type = tap, namespace = {{lab.Namespace("v4")}} }
          ]
          switches = [
            { name = lan, vlans = [10, 20], ports = [
                { port = {{lab.Device("v1")}}, vlan = 10 }
                { port = {{lab.Device("v2")}}, vlan = 10 }
                { port = {{lab.Device("v3")}}, vlan = 20 }
                { port = {{lab.Device("v4")}}, trunk = [10, 20] }
              ] }
          ]
        }
        """;
}
