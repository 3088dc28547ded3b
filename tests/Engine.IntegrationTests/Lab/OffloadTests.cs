using System.Text.RegularExpressions;
using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// tun offloads end to end: TCP through the engine with super-frames passed whole, cut into
/// packets for a device without offloads, and merged (GRO) for one with them, over IPv4 and IPv6.
/// </summary>
[Collection("engine")]
public sealed partial class OffloadTests(ITestOutputHelper output)
{
    private const int Subnet = 83;

    [IntegrationTheory]
    [InlineData("auto", "auto", 4)]
    [InlineData("auto", "auto", 6)]
    [InlineData("off", "off", 4)]
    [InlineData("auto", "off", 4)]
    [InlineData("auto", "off", 6)]
    [InlineData("off", "auto", 4)]
    [InlineData("off", "auto", 6)]
    public void Iperf3_tcp_completes_with_offloads_on_either_side(string sender, string receiver, int family)
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(Lab(lab, sender, receiver));
        try
        {
            if (sender == "auto") Assert.Matches(@$"device {lab.Device("h1")} up .*offloads Checksum\+Tso4\+Tso6", engine.Log);
            var server = family == 4 ? LabConfigs.V4(Subnet, 2) : LabConfigs.V6(Subnet, 2);
            var bitsPerSecond = Iperf(lab, server);
            output.WriteLine($"{sender} -> {receiver}, IPv{family}: {bitsPerSecond / 1e9:F2} Gbit/s");
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationTheory]
    [InlineData(4, "tun")]
    [InlineData(6, "tun")]
    [InlineData(4, "tap")]
    [InlineData(6, "tap")]
    public void Udp_datagrams_merged_on_the_way_into_the_receivers_device_arrive_whole_and_in_order(int family, string receiver)
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(LabConfigs.Hosts(lab, 2, Subnet, type: host => host == 2 ? receiver : "tun"));
        try
        {
            var server = family == 4 ? LabConfigs.V4(Subnet, 2) : LabConfigs.V6(Subnet, 2);
            var (packets, lost, outOfOrder) = Iperf3.Udp(lab.Namespace("h1"), lab.Namespace("h2"), server, "-b 200M -l 1000");
            output.WriteLine($"IPv{family} into a {receiver}: {packets} datagrams, {lost:F2} % lost");
            Assert.True(packets > 10_000, $"only {packets} datagrams");
            Assert.True(lost < 20, $"{lost} % lost");
            Assert.Equal(0, outOfOrder);

            // The sender's kernel leaves each datagram's checksum pending; merged all the same.
            output.WriteLine($"datagrams per write into the {receiver}: {AssertMerged(engine, lab.Device("h2"))}");
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationTheory]
    [InlineData(4, "tap", "tun")]
    [InlineData(6, "tap", "tun")]
    [InlineData(4, "tun", "tap")]
    [InlineData(6, "tun", "tap")]
    [InlineData(4, "tap", "tap")]
    public void Super_frames_cross_tap_devices_behind_their_ethernet_header(int family, string sender, string receiver)
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(LabConfigs.Hosts(lab, 2, Subnet, type: host => host == 1 ? sender : receiver));
        try
        {
            Assert.Matches(@$"device {lab.Device(sender == "tap" ? "h1" : "h2")} up \(Tap.*offloads Checksum\+Tso4\+Tso6", engine.Log);
            var server = family == 4 ? LabConfigs.V4(Subnet, 2) : LabConfigs.V6(Subnet, 2);
            var bitsPerSecond = Iperf(lab, server);
            output.WriteLine($"{sender} -> {receiver}, IPv{family}: {bitsPerSecond / 1e9:F2} Gbit/s");
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationTheory]
    [InlineData(4)]
    [InlineData(6)]
    public void Tcp_segments_from_a_device_without_offloads_are_merged_into_a_tap(int family)
    {
        using var lab = new TestLab();
        var hocon = LabConfigs.Hosts(lab, 2, Subnet, type: host => host == 2 ? "tap" : "tun", settings: host => host == 1 ? "offload = off" : "");
        using var engine = EngineProcess.Start(hocon);
        try
        {
            var server = family == 4 ? LabConfigs.V4(Subnet, 2) : LabConfigs.V6(Subnet, 2);
            var bitsPerSecond = Iperf(lab, server);
            var merged = AssertMerged(engine, lab.Device("h2"));
            output.WriteLine($"IPv{family}, tun without offloads -> tap: {bitsPerSecond / 1e9:F2} Gbit/s, {merged} segments per write");
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void Super_frames_from_a_tun_are_cut_into_ethernet_frames_for_a_tap_without_offloads()
    {
        using var lab = new TestLab();
        var hocon = LabConfigs.Hosts(lab, 2, Subnet, type: host => host == 1 ? "tun" : "tap", settings: host => host == 2 ? "offload = off" : "");
        using var engine = EngineProcess.Start(hocon);
        try
        {
            var bitsPerSecond = Iperf(lab, LabConfigs.V4(Subnet, 2));
            output.WriteLine($"tun (offloads) -> tap (off): {bitsPerSecond / 1e9:F2} Gbit/s");
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void Segments_cut_from_super_frames_arrive_well_formed()
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(Lab(lab, "auto", "off"));
        var ns = lab.Namespace("h2");
        using var capture = Background.InNamespace(ns, $"timeout 15 tcpdump -i {lab.Device("h2")} -nn -vv -c 200 tcp and greater 1000");
        Thread.Sleep(1000); // tcpdump opens the device
        Iperf(lab, LabConfigs.V4(Subnet, 2));
        Assert.True(capture.WaitForExit(TimeSpan.FromSeconds(20)), "tcpdump did not finish");
        var text = capture.Output;
        output.WriteLine(text.Length > 3000 ? text[..3000] : text);

        var lengths = IpLength().Matches(text).Select(m => int.Parse(m.Groups[1].Value)).ToList();
        Assert.True(lengths.Count >= 100, $"only {lengths.Count} packets captured");
        Assert.All(lengths, length => Assert.InRange(length, 1000, 1500));
        Assert.DoesNotContain("incorrect", text);
        Assert.Contains("cksum", text);
    }

    [IntegrationTheory]
    [InlineData("auto")]
    [InlineData("off")]
    public void A_multi_queue_device_has_a_queue_per_reader_and_carries_several_flows(string offload)
    {
        using var lab = new TestLab();
        var hocon = LabConfigs.Hosts(lab, 2, Subnet, settings: _ => $"offload = {offload}, queues = 2");
        using var engine = EngineProcess.Start(hocon);
        try
        {
            Assert.Contains("2 queue(s)", engine.Log);
            var queues = Shell.InNamespace(lab.Namespace("h1"), $"ls /sys/class/net/{lab.Device("h1")}/queues");
            Assert.Contains("rx-1", queues.Output);
            var bitsPerSecond = Iperf(lab, LabConfigs.V4(Subnet, 2), streams: 4);
            output.WriteLine($"2 queues, offload {offload}, 4 streams: {bitsPerSecond / 1e9:F2} Gbit/s");
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationTheory]
    [InlineData(6, "h2", "h1")]
    [InlineData(6, "h1", "h2")]
    [InlineData(4, "h2", "h1")]
    public void A_device_granted_fewer_offloads_still_forwards_everything(int family, string from, string to)
    {
        // What a kernel without TSO6 and USO would grant: the engine then cuts IPv6 TCP and
        // all UDP super-frames for that device, and the kernel sends it no such super-frames.
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(Lab(lab, "[checksum, tso4]", "auto"));
        try
        {
            Assert.Matches(@$"device {lab.Device("h1")} up .*offloads Checksum\+Tso4(?!\+)", engine.Log);
            var server = family == 4 ? LabConfigs.V4(Subnet, to[1] - '0') : LabConfigs.V6(Subnet, to[1] - '0');
            var bitsPerSecond = Iperf(lab, server, from: from, to: to);
            output.WriteLine($"{from} -> {to}, IPv{family}: {bitsPerSecond / 1e9:F2} Gbit/s");
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationTheory]
    [InlineData(4)]
    [InlineData(6)]
    public void Segments_merge_into_a_device_granted_tso4_only_for_ipv4(int family)
    {
        // h2 sends MTU-sized segments; h1 takes IPv4 TCP super-frames but no IPv6 ones.
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(Lab(lab, "[checksum, tso4]", "off"));
        try
        {
            var server = family == 4 ? LabConfigs.V4(Subnet, 1) : LabConfigs.V6(Subnet, 1);
            var bitsPerSecond = Iperf(lab, server, from: "h2", to: "h1");
            var perWrite = FramesPerWrite(engine, lab.Device("h1"));
            output.WriteLine($"IPv{family} into a tso4-only device: {bitsPerSecond / 1e9:F2} Gbit/s, {perWrite} segments per write");
            if (family == 4) Assert.True(perWrite > 2, $"GRO merged only {perWrite} frames per write");
            else Assert.True(perWrite < 1.1, $"{perWrite} IPv6 frames per write into a device without TSO6");
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    private static double Iperf(TestLab lab, string server, int streams = 1, string from = "h1", string to = "h2") =>
        Iperf3.Tcp(lab.Namespace(from), lab.Namespace(to), server, streams).BitsPerSecond;

    /// <summary>Frames per write into <paramref name="device"/>, asserted to show that GRO merged them.</summary>
    private static double AssertMerged(EngineProcess engine, string device)
    {
        var merged = FramesPerWrite(engine, device);
        Assert.True(merged > 2, $"GRO merged only {merged} frames per write into {device}");
        return merged;
    }

    /// <summary>Frames per write into <paramref name="device"/>, from its next counter line once traffic has stopped.</summary>
    private static double FramesPerWrite(EngineProcess engine, string device)
    {
        engine.WaitForLog($"{device}: rx", TimeSpan.FromSeconds(3));
        Thread.Sleep(1200);
        var lines = Regex.Matches(engine.Log, @$"{Regex.Escape(device)}: rx .* in writes of ([\d.]+)");
        Assert.NotEmpty(lines);
        return double.Parse(lines[^1].Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Lab(TestLab lab, string sender, string receiver) =>
        LabConfigs.Hosts(lab, 2, Subnet, settings: host => $"offload = {(host == 1 ? sender : receiver)}");

    [GeneratedRegex(@"proto TCP \(6\), length (\d+)\)")]
    private static partial Regex IpLength();
}
