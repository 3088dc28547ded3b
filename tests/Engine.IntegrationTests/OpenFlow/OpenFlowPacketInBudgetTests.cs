using Engine.IntegrationTests.Infrastructure;
using Engine.IntegrationTests.Lab;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.OpenFlow;

/// <summary>
/// A controller sends UDP to itself (PACKET_IN) and the rest to NORMAL, then reads nothing for a
/// while (Scripts/packet_in_deaf.py) as a host floods UDP: the engine drops and counts the
/// PACKET_INs beyond its budget instead of closing the connection, the hosts' pings go on
/// through the lab's switch meanwhile, the BARRIERs the controller sent while deaf are all
/// answered, and the ECHO after it reads again is answered on the same connection.
/// </summary>
[Collection("engine")]
public sealed class OpenFlowPacketInBudgetTests(ITestOutputHelper output)
{
    private const int Subnet = 97;

    private static string Script => Path.Combine(Repository.Root, "tests/Engine.IntegrationTests/Scripts/packet_in_deaf.py");

    [IntegrationFact]
    public void A_controller_that_does_not_read_loses_packet_ins_not_its_connection_and_the_hosts_still_ping()
    {
        using var lab = new TestLab();
        var port = MeshConfigs.FreePort();
        using var controller = new Background("/usr/bin/python3", $"-u {Script} --port {port} --deaf 6");
        Assert.True(controller.WaitForOutput("listening", TimeSpan.FromSeconds(10)), controller.Output);
        using var engine = EngineProcess.Start(OpenFlowSwitchedHosts.Lab(lab, Subnet, port, openFlowKeys: "packet-in-budget-kib = 64"));
        try
        {
            Assert.True(controller.WaitForOutput("flows installed", TimeSpan.FromSeconds(15)), controller.Output);
            // h1 learns h2's address first, so the flood is not lost waiting for ARP.
            Assert.Equal(0, Shell.InNamespace(lab.Namespace("h1"), $"ping -n -c 1 -W 2 10.{Subnet}.0.2").ExitCode);
            // 40,000 whole 1400-byte frames for the controller: far more than its socket and the engine's 4 MiB hold.
            var flood = Task.Run(() => Shell.InNamespace(lab.Namespace("h1"), "python3 -c \"import socket\n" +
                "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n" +
                $"for _ in range(40000): s.sendto(b'x' * 1400, ('10.{Subnet}.0.2', 9))\"", TimeSpan.FromSeconds(30)));
            var ping = Shell.InNamespace(lab.Namespace("h1"), $"ping -n -c 20 -i 0.2 -W 2 10.{Subnet}.0.2", TimeSpan.FromSeconds(30));
            output.WriteLine(ping.All);
            Assert.True(flood.Wait(TimeSpan.FromSeconds(30)), "the UDP flood did not end");
            Assert.True(ping.ExitCode == 0, ping.All);
            Assert.Matches(@"20 packets transmitted, (1\d|20) received", ping.Output);
            // The lab's budget, not the default, is the one the connection keeps.
            engine.WaitForLog("PACKET_INs dropped with 65536 bytes unsent", TimeSpan.FromSeconds(10));
            Assert.True(controller.WaitForOutput("echo answered", TimeSpan.FromSeconds(30)), controller.Output);
            // Every BARRIER the controller sent while it read nothing was answered.
            Assert.Matches(@"echo answered after [1-9]\d* packet-ins, (\d+) of \1 barriers", controller.Output);
            // The ECHO came back on the connection the controller accepted first: the engine never closed it.
            Assert.DoesNotContain("bytes unread", engine.Log);
        }
        finally
        {
            output.WriteLine(controller.Output);
            output.WriteLine(engine.Log);
        }
    }
}
