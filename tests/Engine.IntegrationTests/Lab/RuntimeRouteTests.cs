using System.Text.Json;
using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// `engine route add` and `del` on a running lab, through the engine binary: a runtime route via
/// a next hop makes a host's loopback reachable and is listed as such, a static route to the same
/// prefix stays in front of it, a wrong request exits 2 with the reason, and deleting the route
/// makes the prefix unreachable again.
/// </summary>
[Collection("engine")]
public sealed class RuntimeRouteTests(ITestOutputHelper output)
{
    private const int Subnet = 73;

    [IntegrationFact]
    public void A_runtime_route_is_added_listed_shadowed_by_a_static_one_refused_when_wrong_and_deleted()
    {
        using var lab = new TestLab(output.WriteLine);
        var hosts = LabConfigs.Hosts(lab, 2, Subnet);
        var engine = lab.Start(hosts.Replace("  routes = [\n", $"  routes = [\n    {{ prefix = \"10.{Subnet}.8.0/24\", via = {lab.Device("h1")} }}\n"));
        var loopback = $"10.{Subnet}.9.1";
        bool Reached() => lab.InHost("h1", $"ping -n -c 1 -W 1 {loopback}").ExitCode == 0;
        lab.MustRunInHost("h2", $"ip address add {loopback}/32 dev lo");
        Assert.False(Reached());

        var added = Cli(engine, $"route add 10.{Subnet}.9.0/24 {LabConfigs.V4(Subnet, 2)} --json");
        Assert.Equal(0, added.ExitCode);
        Assert.Equal("runtime", JsonDocument.Parse(added.Output).RootElement.GetProperty("installed").GetString());
        Eventually(Reached, "the runtime route carries pings");
        var route = Routes(engine).Single(r => r.GetProperty("prefix").GetString() == $"10.{Subnet}.9.0/24");
        Assert.Equal("runtime", route.GetProperty("source").GetString());
        Assert.Equal(LabConfigs.V4(Subnet, 2), route.GetProperty("via").GetProperty("address").GetString());

        // The lab file's static route to 10.S.8.0/24 stays in front of a runtime one.
        var shadowed = Cli(engine, $"route add 10.{Subnet}.8.0/24 {lab.Device("h2")} --json");
        Assert.Equal("static", JsonDocument.Parse(shadowed.Output).RootElement.GetProperty("installed").GetString());

        Assert.Equal(2, Cli(engine, $"route add 10.{Subnet}.7.0/24 10.{Subnet}.99.1").ExitCode);
        Assert.Equal(2, Cli(engine, $"route add 10.{Subnet}.7.0/24 nosuchport").ExitCode);
        var unknown = Cli(engine, $"route del 10.{Subnet}.6.0/24");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no runtime route", unknown.Error);

        Assert.Equal(0, Cli(engine, $"route del 10.{Subnet}.9.0/24").ExitCode);
        Eventually(() => !Reached(), "the route is gone");
        Assert.DoesNotContain(Routes(engine), r => r.GetProperty("prefix").GetString() == $"10.{Subnet}.9.0/24");
    }

    private Shell.Result Cli(EngineProcess engine, string arguments)
    {
        var result = engine.Cli(arguments);
        output.WriteLine($"engine {arguments}: {result.ExitCode}\n{result.All}");
        return result;
    }

    private List<JsonElement> Routes(EngineProcess engine)
    {
        var listed = Cli(engine, "routes --json");
        Assert.Equal(0, listed.ExitCode);
        return [.. JsonDocument.Parse(listed.Output).RootElement.GetProperty("routes").EnumerateArray()];
    }

    private static void Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not so after 10 s: {what}");
            Thread.Sleep(100);
        }
    }
}
