using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// `engine capture` on a real engine: a ping's echo request and reply, read by tcpdump from a file
/// and live from a pipe, on a tun and on a tap; an unknown port; and a reader that never reads,
/// which loses captured frames (counted) while the lab forwards everything.
/// </summary>
[Collection("engine")]
public sealed partial class CaptureTests(ITestOutputHelper output)
{
    private const int Subnet = 142;

    private static string Hosts(TestLab lab) => LabConfigs.Hosts(lab, 2, Subnet, type: i => i == 2 ? "tap" : "tun");

    [IntegrationFact]
    public void A_capture_of_a_ping_is_readable_by_tcpdump_and_holds_the_echo_request_and_reply()
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(Hosts(lab));
        var file = Path.Combine(Path.GetTempPath(), $"engine-capture-{lab.Id}.pcapng");
        try
        {
            using var toFile = StartCli($"capture {lab.Device("h1")} -c 4 -w {file} --config {engine.ConfigPath}");
            engine.WaitForLog($"capture of {lab.Device("h1")} started", TimeSpan.FromSeconds(10));
            Ping(lab, 2);
            Assert.True(toFile.WaitForExit(20_000), "the capture did not end after its 4 frames");
            Assert.Equal(0, toFile.ExitCode);

            var read = Shell.Run("tcpdump", $"-n -r {file}");
            output.WriteLine(read.All);
            Assert.Contains("link-type RAW", read.Error);
            Assert.Contains($"IP {LabConfigs.V4(Subnet, 1)} > {LabConfigs.V4(Subnet, 2)}: ICMP echo request", read.Output);
            Assert.Contains($"IP {LabConfigs.V4(Subnet, 2)} > {LabConfigs.V4(Subnet, 1)}: ICMP echo reply", read.Output);
        }
        finally
        {
            File.Delete(file);
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void A_tap_s_capture_piped_live_into_tcpdump_shows_the_ethernet_frames()
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(Hosts(lab));

        // A tap carries ARP and the hosts' IPv6 neighbour discovery too: ping until 8 frames were captured.
        using var piped = StartCli($"capture {lab.Device("h2")} -c 8 -w - --config {engine.ConfigPath} | tcpdump -n -e -r -", throughBash: true);
        engine.WaitForLog($"capture of {lab.Device("h2")} started", TimeSpan.FromSeconds(10));
        for (var i = 0; i < 10 && !piped.HasExited; i++) Ping(lab, 2);
        Assert.True(piped.WaitForExit(20_000), "the piped capture did not end");
        var read = piped.StandardOutput.ReadToEnd() + piped.StandardError.ReadToEnd();
        output.WriteLine(read);

        Assert.Contains("link-type EN10MB", read);
        Assert.Contains("ICMP echo request", read);
        Assert.Contains("ICMP echo reply", read);
    }

    [IntegrationFact]
    public void A_peer_link_s_capture_holds_the_ping_that_crosses_it()
    {
        using var lab = new TestLab();
        var (first, second) = MeshConfigs.Pair(lab, Subnet);
        using var one = EngineProcess.Start(first);
        using var two = EngineProcess.Start(second);
        var file = Path.Combine(Path.GetTempPath(), $"engine-capture-{lab.Id}.pcapng");
        try
        {
            one.WaitForLog("peer n2 up", TimeSpan.FromSeconds(15));
            using var capture = StartCli($"capture n2 -c 2 -w {file} --config {one.ConfigPath}");
            one.WaitForLog("capture of n2 started", TimeSpan.FromSeconds(10));
            Ping(lab, 1);
            Assert.True(capture.WaitForExit(20_000), "the capture did not end after its 2 frames");

            var read = Shell.Run("tcpdump", $"-n -r {file}");
            output.WriteLine(read.All);
            Assert.Contains($"IP {LabConfigs.V4(Subnet, 1)} > {LabConfigs.V4(Subnet, 2)}: ICMP echo request", read.Output);
            Assert.Contains($"IP {LabConfigs.V4(Subnet, 2)} > {LabConfigs.V4(Subnet, 1)}: ICMP echo reply", read.Output);
        }
        finally
        {
            File.Delete(file);
            output.WriteLine(one.Log);
        }
    }

    [IntegrationFact]
    public void The_drops_pseudo_port_holds_a_frame_the_router_dropped_with_its_reason()
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(Hosts(lab));
        var file = Path.Combine(Path.GetTempPath(), $"engine-drops-{lab.Id}.pcapng");
        try
        {
            using var capture = StartCli($"capture drops -c 1 -w {file} --config {engine.ConfigPath}");
            engine.WaitForLog("capture of drops started", TimeSpan.FromSeconds(10));
            Shell.InNamespace(lab.Namespace("h1"), $"ping -n -c 1 -W 1 10.{Subnet}.99.1"); // no route: dropped
            Assert.True(capture.WaitForExit(20_000), "the capture did not end after its frame");

            var read = Shell.Run("tcpdump", $"-n -r {file}");
            output.WriteLine(read.All);
            Assert.Contains($"{LabConfigs.V4(Subnet, 1)} > 10.{Subnet}.99.1: ICMP echo request", read.Output);
            Assert.Contains("no-route", Encoding.ASCII.GetString(File.ReadAllBytes(file))); // the frame's opt_comment
        }
        finally
        {
            File.Delete(file);
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void An_unknown_port_is_bad_input_and_names_the_ports()
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(Hosts(lab));

        var capture = EngineCli.Run($"capture nosuchport -w - --config {engine.ConfigPath}");

        Assert.Equal(2, capture.ExitCode);
        Assert.Contains($"no port nosuchport to capture; ports: {lab.Device("h1")}, {lab.Device("h2")}", capture.Error);
    }

    [IntegrationFact]
    public void A_capture_reader_that_never_reads_loses_captured_frames_and_no_traffic()
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(Hosts(lab));

        using (var stuck = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            stuck.ReceiveBufferSize = 4096;
            stuck.Connect(new UnixDomainSocketEndPoint($"/run/engine/{Path.GetFileNameWithoutExtension(engine.ConfigPath)}.sock"));
            stuck.Send(Encoding.UTF8.GetBytes($"{{\"command\":\"capture\",\"port\":\"{lab.Device("h1")}\"}}\n"));
            engine.WaitForLog($"capture of {lab.Device("h1")} started", TimeSpan.FromSeconds(10));

            // ~14 MB of frames each way past a reader that takes none: far more than the capture's 4 MiB ring.
            var flood = Shell.InNamespace(lab.Namespace("h1"), $"ping -n -f -s 1400 -c 5000 -W 2 {LabConfigs.V4(Subnet, 2)}", TimeSpan.FromSeconds(60));
            output.WriteLine(flood.All);
            Assert.Contains(" 0% packet loss", flood.Output);
        }

        engine.WaitForLog($"capture of {lab.Device("h1")} ended", TimeSpan.FromSeconds(20));
        output.WriteLine(engine.Log);
        var lost = long.Parse(LostCount().Match(engine.Log).Groups[1].Value);
        Assert.True(lost > 0, "the stuck reader lost no frames: the ring is not bounded");
    }

    [GeneratedRegex(@"capture of \S+ ended: \d+ frames written, (\d+) lost")]
    private static partial Regex LostCount();

    private static Process StartCli(string arguments, bool throughBash = false)
    {
        var command = $"dotnet \"{EngineProcess.EngineDll}\" {arguments}";
        var info = throughBash ? new ProcessStartInfo("bash", ["-c", command]) : new ProcessStartInfo("dotnet", $"\"{EngineProcess.EngineDll}\" {arguments}");
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        return Process.Start(info) ?? throw new InvalidOperationException("could not start the CLI");
    }

    private void Ping(TestLab lab, int count)
    {
        var ping = Shell.InNamespace(lab.Namespace("h1"), $"ping -n -c {count} -i 0.2 -W 2 {LabConfigs.V4(Subnet, 2)}");
        output.WriteLine(ping.All);
        Assert.Equal(0, ping.ExitCode);
    }
}
