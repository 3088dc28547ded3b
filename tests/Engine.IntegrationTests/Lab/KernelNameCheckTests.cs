using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// `check` and `run` read the links that already exist (never creating anything) and refuse a
/// device name the kernel already uses in its namespace, with exit code 2, before anything is built.
/// </summary>
[Collection("engine")]
public sealed class KernelNameCheckTests(ITestOutputHelper output)
{
    private const int Subnet = 94;

    [IntegrationFact]
    public void A_device_name_already_taken_in_an_existing_namespace_fails_check_and_run_and_creates_nothing()
    {
        using var lab = new TestLab();
        var h1 = lab.Namespace("h1");
        Assert.Equal(0, Shell.Run("ip", $"netns add {h1}").ExitCode);
        Assert.Equal(0, Shell.InNamespace(h1, $"ip tuntap add dev {lab.Device("h1")} mode tap").ExitCode);
        var hocon = LabConfigs.Hosts(lab, 2, Subnet);
        var expected = $"engine.devices[0].name: namespace {h1} already has a link named \"{lab.Device("h1")}\"";

        foreach (var command in new[] { "check", "run" })
        {
            using var engine = EngineProcess.Launch(command, hocon);
            Assert.True(engine.WaitForExit(TimeSpan.FromSeconds(30)));
            output.WriteLine(engine.Log);
            Assert.Equal(2, engine.ExitCode);
            Assert.Equal([expected], engine.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        // Read, not changed: the existing link is still there, and the other host's namespace was never made.
        Assert.Equal(0, Shell.InNamespace(h1, $"ip link show dev {lab.Device("h1")}").ExitCode);
        Assert.DoesNotContain(lab.Namespace("h2"), Shell.Namespaces());
    }
}
