using System.Text.Json;
using Xunit;

namespace Engine.IntegrationTests.Infrastructure;

/// <summary>Bounded iperf3 runs between two namespaces: a one-off server, a client with a timeout.</summary>
public static class Iperf3
{
    /// <summary>
    /// Runs iperf3 from <paramref name="clientNamespace"/> to <paramref name="address"/>, served
    /// in <paramref name="serverNamespace"/>; fails the test unless it completes and moves at
    /// least 1 MB. Returns what the receiver got.
    /// </summary>
    public static (long Bytes, double BitsPerSecond) Tcp(string clientNamespace, string serverNamespace, string address, int streams = 1, int seconds = 2)
    {
        using var json = Run(clientNamespace, serverNamespace, address, $"-P {streams}", seconds);
        var received = json.RootElement.GetProperty("end").GetProperty("sum_received");
        var bytes = received.GetProperty("bytes").GetInt64();
        Assert.True(bytes > 1_000_000, $"iperf3 moved only {bytes} bytes");
        return (bytes, received.GetProperty("bits_per_second").GetDouble());
    }

    /// <summary>
    /// A TCP run like <see cref="Tcp"/> with more <paramref name="options"/> (a rate, say); returns
    /// what the receiver got and the sender's retransmits, the count of segments the path lost or held too long.
    /// </summary>
    public static (long Bytes, long Retransmits) TcpRetransmits(string clientNamespace, string serverNamespace, string address, string options, int seconds)
    {
        using var json = Run(clientNamespace, serverNamespace, address, options, seconds);
        var end = json.RootElement.GetProperty("end");
        var bytes = end.GetProperty("sum_received").GetProperty("bytes").GetInt64();
        Assert.True(bytes > 1_000_000, $"iperf3 moved only {bytes} bytes");
        return (bytes, end.GetProperty("sum_sent").GetProperty("retransmits").GetInt64());
    }

    /// <summary>
    /// A UDP run with <paramref name="options"/> (rate, datagram length); fails the test unless
    /// it completes. Returns what the receiver counted.
    /// </summary>
    public static (long Packets, double LostPercent, long OutOfOrder) Udp(string clientNamespace, string serverNamespace, string address, string options, int seconds = 2)
    {
        using var json = Run(clientNamespace, serverNamespace, address, $"-u {options}", seconds);
        var sum = json.RootElement.GetProperty("end").GetProperty("sum");
        var outOfOrder = sum.TryGetProperty("out_of_order", out var reordered) ? reordered.GetInt64() : 0;
        return (sum.GetProperty("packets").GetInt64(), sum.GetProperty("lost_percent").GetDouble(), outOfOrder);
    }

    private static JsonDocument Run(string clientNamespace, string serverNamespace, string address, string options, int seconds)
    {
        Assert.Equal(0, Shell.InNamespace(serverNamespace, "iperf3 -s -1 -D").ExitCode);
        Thread.Sleep(300);
        var client = Shell.InNamespace(clientNamespace, $"iperf3 -c {address} {options} -t {seconds} -J", TimeSpan.FromSeconds(30 + seconds));
        Assert.True(client.ExitCode == 0, $"iperf3 failed:\n{client.All}");
        return JsonDocument.Parse(client.Output);
    }
}
