using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// The fixture itself (Engine.Testing's <see cref="TestLab"/>): a lab from a HOCON string is ready
/// when Start returns, a host's command runs in its namespace, status comes back typed, and a test
/// that fails leaves no engine and no namespace behind.
/// </summary>
[Collection("engine")]
public sealed class TestLabTests(ITestOutputHelper output)
{
    private const int Subnet = 144;

    [IntegrationFact]
    public void A_started_lab_is_ready_its_hosts_run_commands_and_its_status_is_typed()
    {
        using var lab = new TestLab(output.WriteLine);
        var engine = lab.Start(LabConfigs.Hosts(lab, 2, Subnet));

        Assert.Equal([lab.Device("h1"), lab.Device("h2")], engine.Ready!.Ports);
        Assert.Equal(engine.Pid, engine.Ready.Pid);
        Assert.Contains($"{LabConfigs.V4(Subnet, 1)}/24", lab.MustRunInHost("h1", $"ip -o address show dev {lab.Device("h1")}").Output);
        var ping = lab.InHost("h1", $"ping -n -c 2 -i 0.2 -W 2 {LabConfigs.V4(Subnet, 2)}");
        Assert.Equal(0, ping.ExitCode);

        var status = engine.Status();
        Assert.True(status.Up);
        Assert.Equal("tun", status.Port(lab.Device("h2")).Kind);
        Assert.True(status.Port(lab.Device("h2")).Tx.Packets >= 2);
        Assert.Throws<KeyNotFoundException>(() => status.Port("nosuchport"));
    }

    [IntegrationFact]
    public void A_test_that_fails_leaves_no_engine_and_no_namespace_behind()
    {
        var pid = 0;
        string? prefix = null;

        Assert.Throws<InvalidOperationException>(() =>
        {
            using var lab = new TestLab();
            prefix = lab.Prefix;
            pid = lab.Start(LabConfigs.Hosts(lab, 2, Subnet)).Pid;
            // Left by the test itself: a namespace the engine never knew.
            Shell.MustRun("ip", $"netns add {lab.Namespace("x")}");
            lab.MustRunInHost("h1", "false"); // the test fails here
        });

        Assert.False(Directory.Exists($"/proc/{pid}"), "the engine outlived its test");
        Assert.DoesNotContain(Shell.Namespaces(), ns => ns.StartsWith(prefix!, StringComparison.Ordinal));
    }

    [Fact]
    public void Names_are_unique_per_lab_and_a_device_name_past_ifnamsiz_is_refused()
    {
        using TestLab one = new(), two = new();

        Assert.NotEqual(one.Device("h1"), two.Device("h1"));
        Assert.NotEqual(one.Namespace("h1"), two.Namespace("h1"));
        Assert.Equal(TestLab.InterfaceNameLength, one.Device("1234567").Length);
        Assert.Throws<ArgumentException>(() => one.Device("12345678"));
    }
}
