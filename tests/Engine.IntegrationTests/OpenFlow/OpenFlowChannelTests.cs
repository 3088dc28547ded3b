using Engine.IntegrationTests.Infrastructure;
using Engine.IntegrationTests.Lab;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.OpenFlow;

/// <summary>
/// The engine's OpenFlow channel against controllers on 127.0.0.1: a probe of the project's own
/// (Scripts/openflow_probe.py, os-ken's parser) and Open vSwitch's ovs-testcontroller. The lab is
/// two tap hosts in namespaces the test creates.
/// </summary>
[Collection("engine")]
public sealed class OpenFlowChannelTests(ITestOutputHelper output)
{
    private const int Subnet = 83;

    private static string OpenFlowLab(TestLab lab, params int[] controllerPorts)
    {
        var hosts = LabConfigs.Hosts(lab, 2, Subnet, type: _ => "tap");
        var controllers = string.Join(", ", controllerPorts.Select(port => $"\"tcp:127.0.0.1:{port}\""));
        var openFlow = $"  openflow {{ controllers = [{controllers}], datapath-id = \"00000000000000{Subnet:x2}\", fail-mode = secure, echo-interval = 1s }}\n}}\n";
        return hosts[..hosts.LastIndexOf('}')] + openFlow;
    }

    [IntegrationFact]
    public void A_malformed_message_gets_an_error_and_the_channel_stays_up_and_a_lying_length_closes_it_and_the_engine_redials()
    {
        using var lab = new TestLab();
        var port = MeshConfigs.FreePort();
        using var probe = new Background("/usr/bin/python3", $"-u {OpenFlowProbe.Script} --port {port} --lie");
        Assert.True(probe.WaitForOutput("listening", TimeSpan.FromSeconds(10)), probe.Output);
        using var engine = EngineProcess.Start(OpenFlowLab(lab, port));
        try
        {
            Assert.True(probe.WaitForExit(TimeSpan.FromSeconds(30)), "the probe did not finish:\n" + probe.Output);
            output.WriteLine(probe.Output);
            Assert.Equal(0, probe.ExitCode);
            Assert.Contains($"features datapath 00000000000000{Subnet:x2} tables 8", probe.Output);
            Assert.Contains($"port 1 {lab.Device("h1")} state 4", probe.Output);
            Assert.Contains($"port 2 {lab.Device("h2")} state 4", probe.Output);
            Assert.Contains("unknown type -> error type 1 code 1 xid 4242", probe.Output);
            Assert.Contains("echo still-up", probe.Output);
            Assert.Contains("goto_table -> error type 3 code 2", probe.Output);
            Assert.Contains("engine closed after the lying length", probe.Output);
            Assert.Contains("reconnected", probe.Output);
            engine.WaitForLog("shorter than the header", TimeSpan.FromSeconds(5));
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void Ovs_testcontroller_connects_and_the_flows_it_installs_are_in_the_flow_stats_another_controller_reads()
    {
        using var lab = new TestLab();
        var (ovsPort, probePort) = (MeshConfigs.FreePort(), MeshConfigs.FreePort());
        using var ovs = new Background("ovs-testcontroller", $"--unixctl=none -O OpenFlow13 -v ptcp:{ovsPort}:127.0.0.1");
        using var probe = new Background("/usr/bin/python3", $"-u {OpenFlowProbe.Script} --port {probePort} --flows-after 2");
        Assert.True(probe.WaitForOutput("listening", TimeSpan.FromSeconds(10)), probe.Output);
        using var engine = EngineProcess.Start(OpenFlowLab(lab, ovsPort, probePort));
        try
        {
            Assert.True(probe.WaitForExit(TimeSpan.FromSeconds(30)), "the probe did not finish:\n" + probe.Output);
            output.WriteLine(probe.Output);
            output.WriteLine(ovs.Output);
            Assert.Equal(0, probe.ExitCode);
            // ovs-testcontroller sends table misses to itself with a priority-0 flow (OpenFlow 1.3 switches no longer do so by default).
            Assert.Matches(@"flow priority 0 packets \d+ match OFPMatch\(oxm_fields=\{\}\) instructions \[OFPInstructionActions\(actions=\[OFPActionOutput\(len=16,max_len=128,port=4294967293,type=0\)\]", probe.Output);
            Assert.Equal(2, engine.Log.Split("connected, 2 ports").Length - 1);
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void A_controller_that_speaks_only_1_0_gets_hello_failed_incompatible_and_the_engine_says_why()
    {
        using var lab = new TestLab();
        var port = MeshConfigs.FreePort();
        using var ovs = new Background("ovs-testcontroller", $"--unixctl=none -O OpenFlow10 -v ptcp:{port}:127.0.0.1");
        using var engine = EngineProcess.Start(OpenFlowLab(lab, port));
        try
        {
            // The engine answers the 1.0 HELLO with HELLO_FAILED/INCOMPATIBLE (its bytes: OfpHostileInputTests) and closes, saying why.
            engine.WaitForLog("connection closed: the controller offers no OpenFlow 1.3 (its HELLO is version 0x01)", TimeSpan.FromSeconds(15));
            // ovs-testcontroller saw the engine's HELLO offer 1.3 alone.
            Assert.True(ovs.WaitForOutput("peer supports version 0x04", TimeSpan.FromSeconds(5)), ovs.Output);
        }
        finally
        {
            output.WriteLine(ovs.Output);
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void A_controller_that_speaks_1_3_and_1_4_negotiates_1_3_and_one_that_speaks_only_1_4_gets_hello_failed()
    {
        using var lab = new TestLab();
        var (both, only14) = (MeshConfigs.FreePort(), MeshConfigs.FreePort());
        using var ovs = new Background("ovs-testcontroller", $"--unixctl=none -O OpenFlow13,OpenFlow14 -v ptcp:{both}:127.0.0.1");
        using var ovs14 = new Background("ovs-testcontroller", $"--unixctl=none -O OpenFlow14 -v ptcp:{only14}:127.0.0.1");
        using var engine = EngineProcess.Start(OpenFlowLab(lab, both, only14));
        try
        {
            // A HELLO of 1.4 whose bitmap also offers 1.3: the highest version both speak is 1.3, and the channel works.
            engine.WaitForLog($"openflow tcp:127.0.0.1:{both}: connected, 2 ports", TimeSpan.FromSeconds(15));
            Assert.True(ovs.WaitForOutput("negotiated OpenFlow version 0x04", TimeSpan.FromSeconds(5)), ovs.Output);
            // 1.4 alone: HELLO_FAILED/INCOMPATIBLE, and the engine says why.
            engine.WaitForLog($"openflow tcp:127.0.0.1:{only14}: connection closed: the controller offers no OpenFlow 1.3 (its HELLO is version 0x05)",
                TimeSpan.FromSeconds(15));
            Assert.True(ovs14.WaitForOutput("peer supports version 0x04", TimeSpan.FromSeconds(5)), ovs14.Output);
        }
        finally
        {
            output.WriteLine(ovs.Output);
            output.WriteLine(ovs14.Output);
            output.WriteLine(engine.Log);
        }
    }
}
