using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// `engine capture` on a real engine: a ping's echo request and reply written to a file and read by
/// tcpdump (libpcap); an unknown port; and a reader that never reads, which loses captured frames
/// (counted) while the lab forwards everything. <see cref="TsharkCaptureTests"/> reads captures
/// piped live on a tun, a tap, a peer link and the drops pseudo-port.
/// </summary>
[Collection("engine")]
public sealed partial class CaptureTests(ITestOutputHelper output)
{
    private const int Subnet = 142;

    private static string Hosts(TestLab lab) => LabConfigs.Hosts(lab, 2, Subnet, type: i => i == 2 ? "tap" : "tun");

    [IntegrationFact]
    public void A_capture_of_a_ping_is_readable_by_tcpdump_and_holds_the_echo_request_and_reply()
    {
        using var lab = new TestLab(output.WriteLine);
        var engine = lab.Start(Hosts(lab));
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
        }
    }

    [IntegrationFact]
    public void An_unknown_port_is_bad_input_and_names_the_ports()
    {
        using var lab = new TestLab(output.WriteLine);
        var engine = lab.Start(Hosts(lab));

        var capture = engine.Cli("capture nosuchport -w -");

        Assert.Equal(2, capture.ExitCode);
        Assert.Contains($"no port nosuchport to capture; ports: {lab.Device("h1")}, {lab.Device("h2")}", capture.Error);
    }

    [IntegrationFact]
    public void A_capture_reader_that_never_reads_loses_captured_frames_and_no_traffic()
    {
        using var lab = new TestLab(output.WriteLine);
        var engine = lab.Start(Hosts(lab));

        using (var stuck = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            stuck.ReceiveBufferSize = 4096;
            stuck.Connect(new UnixDomainSocketEndPoint(engine.SocketPath()));
            stuck.Send(Encoding.UTF8.GetBytes($"{{\"command\":\"capture\",\"port\":\"{lab.Device("h1")}\"}}\n"));
            engine.WaitForLog($"capture of {lab.Device("h1")} started", TimeSpan.FromSeconds(10));

            // ~14 MB of frames each way past a reader that takes none: far more than the capture's 4 MiB ring.
            var flood = Shell.InNamespace(lab.Namespace("h1"), $"ping -n -f -s 1400 -c 5000 -W 2 {LabConfigs.V4(Subnet, 2)}", TimeSpan.FromSeconds(60));
            output.WriteLine(flood.All);
            Assert.Contains(" 0% packet loss", flood.Output);
        }

        engine.WaitForLog($"capture of {lab.Device("h1")} ended", TimeSpan.FromSeconds(20));
        var lost = long.Parse(LostCount().Match(engine.Log).Groups[1].Value);
        Assert.True(lost > 0, "the stuck reader lost no frames: the ring is not bounded");
    }

    [GeneratedRegex(@"capture of \S+ ended: \d+ frames written, (\d+) lost")]
    private static partial Regex LostCount();

    private static Process StartCli(string arguments)
    {
        var info = new ProcessStartInfo("dotnet", $"\"{EngineProcess.EngineDll}\" {arguments}");
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
