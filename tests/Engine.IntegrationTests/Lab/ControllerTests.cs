using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// tools/controller_example.py against a real engine: it is told which device each frame came
/// from, and a frame it injects with a port tag leaves through that device to the host.
/// </summary>
[Collection("engine")]
public sealed class ControllerTests(ITestOutputHelper output)
{
    private const int Subnet = 79;
    private const string Key = "controller-shared-secret";

    [IntegrationFact]
    public void The_example_controller_gets_tagged_frames_from_two_devices_and_injects_one_to_the_right_host()
    {
        using var lab = new TestLab();
        var port = MeshConfigs.FreePort();
        using var engine = EngineProcess.Start(ControllerLab(lab, port));
        using var receiver = Background.InNamespace(lab.Namespace("h2"),
            "timeout 20 python3 -u -c \"import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('0.0.0.0', 9999)); print('ready'); d, a = s.recvfrom(2000); print('got', d.decode(), 'from', a[0])\"");
        try
        {
            Assert.True(receiver.WaitForOutput("ready", TimeSpan.FromSeconds(10)), receiver.Output);
            using var controller = new Background("python3", $"-u {Tool} --connect 127.0.0.1:{port} --key {Key} --name ctl " +
                $"--count 2 --timeout 20 --inject 1:udp:10.{Subnet}.99.1:{LabConfigs.V4(Subnet, 2)}:9999:hello-from-ctl");
            engine.WaitForLog("peer ctl up", TimeSpan.FromSeconds(10));

            // Both hosts send towards the controller's prefix; the engine routes it to the controller.
            Shell.InNamespace(lab.Namespace("h1"), $"ping -n -c 1 -W 1 10.{Subnet}.99.1");
            Shell.InNamespace(lab.Namespace("h2"), $"ping -n -c 1 -W 1 10.{Subnet}.99.1");

            Assert.True(controller.WaitForExit(TimeSpan.FromSeconds(20)), "controller did not finish:\n" + controller.Output);
            output.WriteLine(controller.Output);
            Assert.Equal(0, controller.ExitCode);
            Assert.Contains("up: peer node1", controller.Output);
            Assert.Contains($"port 0 = {lab.Device("h1")}", controller.Output);
            Assert.Contains($"frame port 0 ({lab.Device("h1")}): IPv4 {LabConfigs.V4(Subnet, 1)} -> 10.{Subnet}.99.1 ICMP echo-request", controller.Output);
            Assert.Contains($"frame port 1 ({lab.Device("h2")}): IPv4 {LabConfigs.V4(Subnet, 2)} -> 10.{Subnet}.99.1 ICMP echo-request", controller.Output);
            Assert.Contains("injected", controller.Output);

            Assert.True(receiver.WaitForExit(TimeSpan.FromSeconds(10)), "the injected frame never reached h2:\n" + receiver.Output);
            Assert.Contains($"got hello-from-ctl from 10.{Subnet}.99.1", receiver.Output);
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void A_controller_with_the_wrong_key_is_refused_and_logged_and_injects_nothing()
    {
        using var lab = new TestLab();
        var port = MeshConfigs.FreePort();
        using var engine = EngineProcess.Start(ControllerLab(lab, port));
        try
        {
            var controller = Shell.Run("python3", $"{Tool} --connect 127.0.0.1:{port} --key wrong-key-of-enough-length --name ctl " +
                $"--count 1 --timeout 10 --inject 1:udp:10.{Subnet}.99.1:{LabConfigs.V4(Subnet, 2)}:9999:sneaky", TimeSpan.FromSeconds(20));
            output.WriteLine(controller.All);
            Assert.Equal(1, controller.ExitCode);
            Assert.Contains("authentication failed", controller.All);
            engine.WaitForLog("authentication failed", TimeSpan.FromSeconds(5));
            Assert.DoesNotContain("peer ctl up", engine.Log);

            // Everything else goes on.
            var ping = Shell.InNamespace(lab.Namespace("h1"), $"ping -n -c 2 -i 0.2 -W 2 {LabConfigs.V4(Subnet, 2)}");
            Assert.True(ping.ExitCode == 0, ping.All);
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    private static string Tool => Path.Combine(Repository.Root, "tools/controller_example.py");

    private static string ControllerLab(TestLab lab, int port)
    {
        var hosts = LabConfigs.Hosts(lab, 2, Subnet);
        var peer = $"  node-name = node1\n  peers = [ {{ name = ctl, role = controller, transport = tcp, listen = \"127.0.0.1:{port}\", framing = engine, key = \"{Key}\" }} ]\n";
        var route = $"    {{ prefix = \"10.{Subnet}.99.0/24\", via = ctl }}\n  ]\n}}\n";
        hosts = hosts[..hosts.LastIndexOf("  ]\n}", StringComparison.Ordinal)] + route;
        return hosts.Replace("engine {\n", "engine {\n" + peer, StringComparison.Ordinal);
    }
}
