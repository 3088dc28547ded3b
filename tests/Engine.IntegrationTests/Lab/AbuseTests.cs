using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>A lab under abuse: garbage from a host, a device or a namespace deleted under the engine's feet.</summary>
[Collection("engine")]
public sealed class AbuseTests(ITestOutputHelper output)
{
    private const int Subnet = 78;

    [IntegrationFact]
    public void Malformed_frames_from_a_host_are_counted_and_forwarding_goes_on()
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(LabConfigs.Hosts(lab, 2, Subnet));
        try
        {
            // Raw frames straight onto the host's tun device, past the host's IP stack.
            var device = lab.Device("h1");
            var script = string.Join("; ",
                "import socket",
                "s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, 0)",
                $"send = lambda b: s.sendto(b, ('{device}', 0x0800))",
                "send(bytes([0x45, 0, 0xff, 0xff]) + bytes(36))",              // total length lies
                "send(bytes([0x45]) + bytes(10))",                             // truncated header
                "send(bytes([0x4f, 0, 0, 20]) + bytes(16))",                   // IHL past the length
                "send(bytes([0x45, 0, 0, 28]) + bytes(24))",                   // bad header checksum
                "send(bytes([0x60, 0, 0, 0, 0xff, 0xff]) + bytes(34))",        // IPv6 payload length lies
                "send(bytes(range(200)))");                                    // not IP at all
            var sent = Shell.InNamespace(lab.Namespace("h1"), $"python3 -c \"{script}\"");
            Assert.True(sent.ExitCode == 0, sent.All);

            engine.WaitForLog("malformed=5", TimeSpan.FromSeconds(5));
            AssertPing(lab.Namespace("h1"), LabConfigs.V4(Subnet, 2));
            Assert.False(engine.HasExited);
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void A_deleted_device_is_reopened_by_supervision_and_forwarding_resumes()
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(LabConfigs.Hosts(lab, 2, Subnet));
        try
        {
            AssertPing(lab.Namespace("h1"), LabConfigs.V4(Subnet, 2));
            var deleted = Shell.InNamespace(lab.Namespace("h2"), $"ip link del dev {lab.Device("h2")}");
            Assert.True(deleted.ExitCode == 0, deleted.All);

            engine.WaitForLog($"device {lab.Device("h2")} failed", TimeSpan.FromSeconds(5));
            engine.WaitForLog($"device {lab.Device("h2")} up", TimeSpan.FromSeconds(10));
            var deadline = DateTime.UtcNow.AddSeconds(10);
            Shell.Result ping;
            do ping = Shell.InNamespace(lab.Namespace("h1"), $"ping -n -c 1 -W 1 {LabConfigs.V4(Subnet, 2)}");
            while (ping.ExitCode != 0 && DateTime.UtcNow < deadline);
            Assert.True(ping.ExitCode == 0, $"no ping after the device came back:\n{ping.All}");
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void A_device_that_cannot_be_reopened_is_retried_with_one_line_per_attempt_and_no_stack_traces()
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(LabConfigs.Hosts(lab, 2, Subnet));
        try
        {
            // A tap of the tun's name takes its place: reopening the tun fails until the tap goes.
            var device = lab.Device("h2");
            var replaced = Shell.InNamespace(lab.Namespace("h2"), $"sh -c \"ip link del dev {device} && ip tuntap add dev {device} mode tap\"");
            Assert.True(replaced.ExitCode == 0, replaced.All);
            engine.WaitForLog($"device {device} failed", TimeSpan.FromSeconds(5));
            Thread.Sleep(TimeSpan.FromSeconds(2)); // reopening tried at about 0.2 and 0.6 s, then 1.4 s

            Assert.True(Lines(engine.Log, "reopening in").Length >= 2, "the device was not retried");
            Assert.Empty(Lines(engine.Log, " ERR]"));
            Assert.Empty(Lines(engine.Log, "   at "));

            Assert.Equal(0, Shell.InNamespace(lab.Namespace("h2"), $"ip tuntap del dev {device} mode tap").ExitCode);
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (Lines(engine.Log, $"device {device} up").Length < 2 && DateTime.UtcNow < deadline) Thread.Sleep(100);
            Assert.True(Lines(engine.Log, $"device {device} up").Length == 2, "the device did not come back once the tap was gone");
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void A_namespace_deleted_from_outside_is_said_once_without_retries_and_the_stop_is_clean()
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(LabConfigs.Hosts(lab, 2, Subnet));
        var h2 = lab.Namespace("h2");
        // A shell inside keeps the namespace alive past `ip netns delete`, then deletes the device,
        // as the kernel does when the namespace finally goes: the device's fd fails after its name is gone.
        using var inside = Background.InNamespace(h2, $"sh -c \"echo inside; sleep 1; ip link del dev {lab.Device("h2")}\"");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!inside.Output.Contains("inside", StringComparison.Ordinal) && DateTime.UtcNow < deadline) Thread.Sleep(20);
        Assert.True(Shell.Run("ip", $"netns delete {h2}").ExitCode == 0);

        engine.WaitForLog($"device {lab.Device("h2")} failed", TimeSpan.FromSeconds(10));
        // Reopening would have been tried at 0.2, 0.6, 1.4 and 3 s.
        Thread.Sleep(TimeSpan.FromSeconds(4));
        AssertPing(lab.Namespace("h1"), LabConfigs.GatewayV4(Subnet, 1));
        Assert.Equal(0, engine.Terminate());
        output.WriteLine(engine.Log);

        Assert.Single(Lines(engine.Log, $"namespace {h2} was deleted from outside the engine;"));
        Assert.Single(Lines(engine.Log, $"its namespace {h2} was deleted from outside the engine"));
        Assert.Empty(Lines(engine.Log, "reopening"));
        Assert.Empty(Lines(engine.Log, " ERR]"));
        Assert.Empty(Lines(engine.Log, "   at "));
        Assert.Contains($"deleted namespace {lab.Namespace("h1")}", engine.Log);
        Assert.DoesNotContain(lab.Namespace("h1"), Shell.Namespaces());
    }

    private static string[] Lines(string log, string text) =>
        [.. log.Split('\n').Where(line => line.Contains(text, StringComparison.Ordinal))];

    [IntegrationFact]
    public void After_sigkill_a_second_run_reuses_the_namespaces_and_cleanup_removes_them()
    {
        using var lab = new TestLab();
        var hocon = LabConfigs.Hosts(lab, 2, Subnet);
        using (var killed = EngineProcess.Start(hocon))
        {
            killed.Kill();
            Assert.Contains(lab.Namespace("h1"), Shell.Namespaces());
        }

        using (var again = EngineProcess.Start(hocon))
        {
            Assert.Contains($"using existing namespace {lab.Namespace("h1")}", again.Log);
            AssertPing(lab.Namespace("h1"), LabConfigs.V4(Subnet, 2));
            Assert.Equal(0, again.Terminate());
        }
        // Not created by the second run, so left for cleanup.
        Assert.Contains(lab.Namespace("h1"), Shell.Namespaces());

        using var cleanup = EngineProcess.Launch("cleanup", hocon);
        Assert.True(cleanup.WaitForExit(TimeSpan.FromSeconds(30)));
        output.WriteLine(cleanup.Log);
        Assert.Equal(0, cleanup.ExitCode);
        Assert.Contains($"namespace {lab.Namespace("h1")}: deleted", cleanup.Log);
        Assert.DoesNotContain(lab.Namespace("h1"), Shell.Namespaces());
        Assert.DoesNotContain(lab.Namespace("h2"), Shell.Namespaces());
    }

    private void AssertPing(string ns, string address) => Pings.AssertAnswered(output, ns, address, count: 2);
}
