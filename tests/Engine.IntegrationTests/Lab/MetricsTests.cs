using System.Net.Http;
using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// The Prometheus endpoint of a running lab, scraped as Prometheus would: per-port packets,
/// bytes and drops by reason, the peer's state, routes by source, pool and flood figures, all
/// from the counters the counter line prints.
/// </summary>
[Collection("engine")]
public sealed class MetricsTests(ITestOutputHelper output)
{
    private const int Subnet = 71;

    [IntegrationFact]
    public async Task A_scrape_shows_the_ports_counters_drops_peer_state_and_routes_of_the_running_lab()
    {
        using var lab = new TestLab(output.WriteLine);
        var metricsPort = MeshConfigs.FreePort();
        var peerPort = MeshConfigs.FreePort(udp: true);
        var hosts = LabConfigs.Hosts(lab, 2, Subnet);
        var engine = lab.Start(hosts.Replace("engine {", $$"""
            engine {
              metrics { listen = "127.0.0.1:{{metricsPort}}" }
              peers = [ { name = east, role = engine, transport = udp, framing = engine, listen = "127.0.0.1:{{peerPort}}" } ]
            """));
        Pings.AssertAnswered(output, lab.Namespace("h1"), LabConfigs.V4(Subnet, 2));
        lab.InHost("h1", $"ping -n -c 1 -W 1 10.{Subnet}.99.1"); // no route: a drop

        using var http = new HttpClient();
        var text = await http.GetStringAsync($"http://127.0.0.1:{metricsPort}/metrics");
        output.WriteLine(text);
        var status = engine.Status();

        // The scrape and the control socket read the same counters; the status, read later, may only have gone on.
        var h1 = status.Port(lab.Device("h1"));
        Assert.InRange(Value(text, $"engine_port_rx_packets{{kind=\"tun\",port=\"{h1.Name}\"}}"), 4, h1.Rx.Packets);
        var h2 = status.Port(lab.Device("h2"));
        Assert.InRange(Value(text, $"engine_port_tx_bytes{{kind=\"tun\",port=\"{h2.Name}\"}}"), 1, h2.Tx.Bytes);
        Assert.Equal(1, h1.Dropped("no-route"));
        Assert.Equal(1, Value(text, $"engine_port_drops{{port=\"{h1.Name}\",reason=\"no-route\"}}"));
        Assert.Equal(0, Value(text, "engine_peer_up{peer=\"east\"}"));
        // The hosts' subnets are written as routes too, so they count as static.
        Assert.Equal(4, Value(text, "engine_routes{source=\"static\"}"));
        Assert.InRange(Value(text, "engine_router_forwarded"), 6, status.Router.Forwarded);
        Assert.True(Value(text, "engine_pool_batches") >= 1);
        Assert.Equal(0, Value(text, "engine_flood_active"));
        // The answered pings crossed the engine twice each; every batch is in the +Inf bucket, and
        // the counts never fall from one bound to the next.
        var transit = text.Split('\n').Where(l => l.StartsWith("engine_transit_microseconds_bucket{le=", StringComparison.Ordinal))
            .Select(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(transit.Count > 50, $"{transit.Count} transit buckets");
        Assert.InRange(Value(text, "engine_transit_microseconds_bucket{le=\"+Inf\"}"), 2, status.Router.Forwarded);
        Assert.Equal(transit.Order(), transit);
    }

    /// <summary>The value of the sample whose name and labels are exactly <paramref name="series"/>.</summary>
    private static double Value(string exposition, string series)
    {
        var line = exposition.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        Assert.True(line is not null, $"no sample {series}");
        return double.Parse(line![(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
