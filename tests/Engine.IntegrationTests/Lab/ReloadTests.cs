using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// `engine reload` and SIGHUP on a running lab, through the engine binary: the file's added
/// device, peer and route are created and its removed ones removed while iperf3 and ping run
/// through an unchanged path that loses nothing; a bad file changes nothing and exits 2 with
/// the lines `engine check` prints; SIGHUP reloads as the command does; a lab that is not
/// running exits 3.
/// </summary>
[Collection("engine")]
public sealed class ReloadTests(ITestOutputHelper output)
{
    private const int Subnet = 67;
    private const int SigHup = 1;

    [IntegrationFact]
    public void A_reload_adds_and_removes_a_device_a_peer_and_a_route_and_the_unchanged_path_loses_nothing()
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(Config(lab, hosts: [1, 2, 3], peer: null, 0, route: null));
        try
        {
            var (h1, h2) = (lab.Namespace("h1"), lab.Namespace("h2"));
            Pings.AssertAnswered(output, h1, LabConfigs.V4(Subnet, 3));
            // Two reloads (a device, a peer and routes added, then the device removed) before anything
            // is measured, so that what the measured one costs is its work, not the first run of its code.
            var oldPort = FreePort();
            File.WriteAllText(engine.ConfigPath, Config(lab, hosts: [1, 2, 3, 5], peer: "old", oldPort, route: $"10.{Subnet}.50.0/24")
                .Replace("  routes = [\n", $"  routes = [\n    {{ prefix = \"10.{Subnet}.70.0/24\", via = {lab.Device("h3")} }}\n"));
            Assert.Equal(0, ReloadCli.Run(output, $"reload --config {engine.ConfigPath}").ExitCode);
            File.WriteAllText(engine.ConfigPath, Config(lab, hosts: [1, 2, 3], peer: "old", oldPort, route: $"10.{Subnet}.50.0/24")
                .Replace("  routes = [\n", $"  routes = [\n    {{ prefix = \"10.{Subnet}.70.0/24\", via = {lab.Device("h3")} }}\n"));
            Assert.Equal(0, ReloadCli.Run(output, $"reload --config {engine.ConfigPath}").ExitCode);
            var baseline = Iperf3.TcpRetransmits(h1, h2, LabConfigs.V4(Subnet, 2), "-b 100M", seconds: 6);
            output.WriteLine($"without a reload: {baseline.Bytes} bytes, {baseline.Retransmits} retransmits");

            output.WriteLine(Shell.InNamespace(h1, $"ip -s link show dev {lab.Device("h1")}").All + Shell.InNamespace(h2, $"ip -s link show dev {lab.Device("h2")}").All);
            File.WriteAllText(engine.ConfigPath, Config(lab, hosts: [1, 2, 4], peer: "new", FreePort(), route: $"10.{Subnet}.60.0/24"));
            var dropsBefore = UnchangedPathDrops(engine, lab);
            var kernelDropsBefore = KernelDrops(lab);
            using var ping = Background.InNamespace(h1, $"ping -n -i 0.02 -c 250 -W 1 {LabConfigs.V4(Subnet, 2)}");
            var iperf = Task.Run(() => Iperf3.TcpRetransmits(h1, h2, LabConfigs.V4(Subnet, 2), "-b 100M", seconds: 6));
            Thread.Sleep(2000);
            var reload = ReloadCli.Run(output, $"reload --config {engine.ConfigPath} --json");
            var during = iperf.GetAwaiter().GetResult();
            Assert.True(ping.WaitForExit(TimeSpan.FromSeconds(30)), "ping did not finish");
            output.WriteLine($"with a reload: {during.Bytes} bytes, {during.Retransmits} retransmits\n{ping.Output}");
            output.WriteLine(Shell.InNamespace(h1, $"ip -s link show dev {lab.Device("h1")}").All + Shell.InNamespace(h2, $"ip -s link show dev {lab.Device("h2")}").All);

            Assert.Equal(0, reload.ExitCode);
            using (var answer = JsonDocument.Parse(reload.Output))
            {
                Assert.Equal([lab.Device("h4")], ReloadCli.Names(answer, "devices", "added"));
                Assert.Equal([lab.Device("h3")], ReloadCli.Names(answer, "devices", "removed"));
                Assert.Equal([$"{lab.Id}-new"], ReloadCli.Names(answer, "peers", "added"));
            Assert.Contains($"10.{Subnet}.70.0/24", ReloadCli.Names(answer, "routes", "removed"));
                Assert.Equal([$"{lab.Id}-old"], ReloadCli.Names(answer, "peers", "removed"));
                Assert.Contains($"10.{Subnet}.60.0/24", ReloadCli.Names(answer, "routes", "added"));
                Assert.Contains($"10.{Subnet}.50.0/24", ReloadCli.Names(answer, "routes", "removed"));
                Assert.Empty(ReloadCli.Names(answer, "devices", "recreated"));
            }
            // The unchanged path lost nothing: neither the engine nor the kernel dropped a packet on its
            // two devices while the reload ran, and every ping was answered. TCP retransmitted about as
            // much as in runs without a reload: a tail-loss probe after any pause of 10 ms or so counts
            // as one, and on a shared machine runs without any reload gave 0 to 11, so the margin is the
            // noise between the two runs without a reload, at least 10.
            Assert.Equal(dropsBefore, UnchangedPathDrops(engine, lab));
            Assert.Equal(kernelDropsBefore, KernelDrops(lab));
            Assert.Equal("0", ReloadCli.Loss(ping.Output));
            var after = Iperf3.TcpRetransmits(h1, h2, LabConfigs.V4(Subnet, 2), "-b 100M", seconds: 6);
            output.WriteLine($"without a reload, after it: {after.Bytes} bytes, {after.Retransmits} retransmits");
            var without = Math.Max(baseline.Retransmits, after.Retransmits);
            var noise = Math.Max(10, Math.Abs(baseline.Retransmits - after.Retransmits));
            Assert.True(during.Retransmits <= without + noise, $"{during.Retransmits} retransmits with the reload, {without} without (noise {noise})");

            Pings.AssertAnswered(output, h1, LabConfigs.V4(Subnet, 4));
            Assert.NotEqual(0, Shell.InNamespace(lab.Namespace("h3"), $"ip link show dev {lab.Device("h3")}").ExitCode);
            Assert.DoesNotContain(lab.Namespace("h3"), Shell.Namespaces());

            var routes = EngineRoutes.Read(engine).ToDictionary(r => r.Prefix);
            Assert.Equal($"{lab.Id}-new", Assert.Single(routes[$"10.{Subnet}.60.0/24"].Hops).Port);
            Assert.False(routes.ContainsKey($"10.{Subnet}.50.0/24"));
            Assert.False(routes.ContainsKey($"10.{Subnet}.3.0/24"));
            Assert.Equal(lab.Device("h4"), Assert.Single(routes[$"10.{Subnet}.4.0/24"].Hops).Port);

            var status = ReloadCli.Run(output, $"status --config {engine.ConfigPath} --json");
            using var json = JsonDocument.Parse(status.Output);
            Assert.Equal(3, json.RootElement.GetProperty("reloads").GetProperty("applied").GetInt64());
            var ports = json.RootElement.GetProperty("ports").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
            Assert.Contains(lab.Device("h4"), ports);
            Assert.DoesNotContain(lab.Device("h3"), ports);
            engine.WaitForLog("reloaded", TimeSpan.FromSeconds(5));
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void A_bad_file_changes_nothing_and_exits_2_with_the_lines_engine_check_prints()
    {
        using var lab = new TestLab();
        var good = LabConfigs.Hosts(lab, 2, Subnet);
        using var engine = EngineProcess.Start(good);
        try
        {
            // A bad type for a new device, and a setting a running lab cannot take: both refused, nothing applied.
            var bad = good.Replace("  devices = [\n", $"  devices = [\n    {{ name = {lab.Device("h9")}, type = tan, namespace = {lab.Namespace("h9")} }}\n");
            File.WriteAllText(engine.ConfigPath, bad);
            var check = ReloadCli.Run(output, $"check --config {engine.ConfigPath}");
            Assert.Equal(2, check.ExitCode);
            var line = Assert.Single(check.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("engine.devices[0].type")).Trim();
            // The CLI reads the file for its socket and refuses it itself; named by its socket, the engine reads it and refuses it alike.
            var byFile = ReloadCli.Run(output, $"reload --config {engine.ConfigPath}");
            Assert.Equal(2, byFile.ExitCode);
            Assert.Contains(line, byFile.Error);
            var bySocket = ReloadCli.Run(output, $"reload --socket {SocketOf(engine)}");
            Assert.Equal(2, bySocket.ExitCode);
            Assert.Contains(line, bySocket.Error);
            Assert.Contains("nothing changed", bySocket.Error);

            File.WriteAllText(engine.ConfigPath, good.Replace("counters-interval = 1s", "counters-interval = 1s, batch-size = 16"));
            var refused = ReloadCli.Run(output, $"reload --config {engine.ConfigPath} --json");
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains("engine.batch-size: cannot change while the lab runs", refused.Error);

            Assert.DoesNotContain(lab.Namespace("h9"), Shell.Namespaces());
            Pings.AssertAnswered(output, lab.Namespace("h1"), LabConfigs.V4(Subnet, 2));
            using var status = JsonDocument.Parse(ReloadCli.Run(output, $"status --config {engine.ConfigPath} --json").Output);
            Assert.Equal(2, status.RootElement.GetProperty("reloads").GetProperty("failed").GetInt64());
            Assert.Equal(0, status.RootElement.GetProperty("reloads").GetProperty("applied").GetInt64());
            Assert.Equal(2, status.RootElement.GetProperty("ports").GetArrayLength());
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void Sighup_reloads_the_lab_file_as_engine_reload_does()
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(Config(lab, hosts: [1, 2], peer: null, 0, route: null));
        try
        {
            File.WriteAllText(engine.ConfigPath, Config(lab, hosts: [1, 3], peer: null, 0, route: $"10.{Subnet}.60.0/24", routeVia: lab.Device("h3")));
            engine.Signal(SigHup);
            engine.WaitForLog("reloaded", TimeSpan.FromSeconds(15));
            Assert.False(engine.HasExited);
            Assert.Contains("received SIGHUP: reloading", engine.Log);

            Pings.AssertAnswered(output, lab.Namespace("h1"), LabConfigs.V4(Subnet, 3));
            Assert.NotEqual(0, Shell.InNamespace(lab.Namespace("h2"), $"ip link show dev {lab.Device("h2")}").ExitCode);
            var routes = EngineRoutes.Read(engine).ToDictionary(r => r.Prefix);
            Assert.Equal(lab.Device("h3"), Assert.Single(routes[$"10.{Subnet}.60.0/24"].Hops).Port);
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void A_device_a_reload_added_is_the_labs_own_at_the_next_reload()
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(Config(lab, hosts: [1, 2], peer: null, 0, route: null));
        try
        {
            File.WriteAllText(engine.ConfigPath, Config(lab, hosts: [1, 2, 3], peer: null, 0, route: null));
            Assert.Equal(0, ReloadCli.Run(output, $"reload --config {engine.ConfigPath}").ExitCode);
            // The file keeps h3 and adds a route: h3's link exists now, and it is the lab's, not a clash.
            File.WriteAllText(engine.ConfigPath, Config(lab, hosts: [1, 2, 3], peer: null, 0, route: $"10.{Subnet}.80.0/24", routeVia: lab.Device("h3")));
            var again = ReloadCli.Run(output, $"reload --config {engine.ConfigPath}");
            Assert.Equal(0, again.ExitCode);
            Assert.Contains($"10.{Subnet}.80.0/24", again.Output);
            Pings.AssertAnswered(output, lab.Namespace("h1"), LabConfigs.V4(Subnet, 3));
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void Reload_when_the_lab_is_not_running_exits_3()
    {
        var socket = Path.Combine(Path.GetTempPath(), $"engine-test-{Guid.NewGuid():N}.sock");
        var reload = ReloadCli.Run(output, $"reload --socket {socket}");
        Assert.Equal(3, reload.ExitCode);
        Assert.Contains("lab not running", reload.Error);
    }

    /// <summary>
    /// Hosts h1, h2 (the unchanged path) and the named others, a listening peer "{id}-{peer}" on
    /// loopback, and a static route through it (or through <paramref name="routeVia"/>).
    /// </summary>
    private static string Config(TestLab lab, int[] hosts, string? peer, int peerPort, string? route, string? routeVia = null)
    {
        var text = new System.Text.StringBuilder("engine {\n  counters-interval = 1s\n  devices = [\n");
        foreach (var i in hosts)
            text.Append(ReloadCli.RoutedHost(lab, Subnet, i));
        text.Append("  ]\n");
        if (peer is not null)
            text.Append($"  peers = [ {{ name = {lab.Id}-{peer}, role = quagga, transport = tcp, listen = \"127.0.0.1:{peerPort}\", framing = length16 }} ]\n");
        text.Append("  routes = [\n");
        if (route is not null) text.Append($"    {{ prefix = \"{route}\", via = {routeVia ?? $"{lab.Id}-{peer}"} }}\n");
        return text.Append("  ]\n}\n").ToString();
    }

    /// <summary>The lab's control socket, by default named from its file.</summary>
    private static string SocketOf(EngineProcess engine) => $"/run/engine/{Path.GetFileNameWithoutExtension(engine.ConfigPath)}.sock";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }




    /// <summary>What the kernel dropped on the unchanged path's two tun devices, each way (ip -s link).</summary>
    private static string KernelDrops(TestLab lab) =>
        string.Join(", ", new[] { "h1", "h2" }.Select(host =>
        {
            var json = Shell.InNamespace(lab.Namespace(host), $"ip -j -s link show dev {lab.Device(host)}").Output;
            var stats = JsonDocument.Parse(json).RootElement[0].GetProperty("stats64");
            return $"{host} rx {stats.GetProperty("rx").GetProperty("dropped")} tx {stats.GetProperty("tx").GetProperty("dropped")}";
        }));

    /// <summary>
    /// What the engine dropped on the unchanged path's two ports, by port and reason, leaving out
    /// not-routable: the hosts' own link-local chatter (router solicitations, MLD), never the path's traffic.
    /// </summary>
    private static string UnchangedPathDrops(EngineProcess engine, TestLab lab)
    {
        var status = engine.Status();
        return string.Join(", ", new[] { lab.Device("h1"), lab.Device("h2") }
            .SelectMany(name => status.Port(name).Drops.Where(drop => drop.Key != "not-routable").Select(drop => $"{name} {drop.Key}={drop.Value}")));
    }
}
