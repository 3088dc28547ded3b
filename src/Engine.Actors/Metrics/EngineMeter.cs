using System.Diagnostics.Metrics;
using System.Globalization;
using Engine.Actors.Counters;
using Engine.Actors.OpenFlow;
using Engine.Actors.Routing;

namespace Engine.Actors.Metrics;

/// <summary>
/// The engine's instruments (System.Diagnostics.Metrics), all observable: each reads, when a
/// scraper asks, the same counters the counter summary prints, so nothing is added to the
/// per-packet path. Until a lab is up (<see cref="Observe"/>) they report nothing.
/// </summary>
public sealed class EngineMeter : IDisposable
{
    /// <summary>The meter's name, which exporters put before each instrument's: <c>engine_port_rx_packets</c>.</summary>
    public const string Name = "engine";

    private readonly Meter _meter = new(Name);
    private volatile LabCounters? _lab;

    public EngineMeter()
    {
        PortCounter("port_rx_packets", "packets", "Frames received on the port.", c => c.RxPackets);
        PortCounter("port_rx_bytes", "bytes", "Bytes received on the port.", c => c.RxBytes);
        PortCounter("port_tx_packets", "packets", "Frames sent out of the port.", c => c.TxPackets);
        PortCounter("port_tx_bytes", "bytes", "Bytes sent out of the port.", c => c.TxBytes);
        _meter.CreateObservableCounter("port_drops", Drops, "packets", "Frames dropped, by the port they were counted on and the reason.");
        _meter.CreateObservableGauge("peer_up", () => Peers(c => c.LinkUp ? 1 : 0), description: "1 while the peer's link is up.");
        _meter.CreateObservableCounter("peer_reconnects", () => Peers(c => Math.Max(0, c.LinkUps - 1)), description: "Times the peer's link came up again after the first.");
        _meter.CreateObservableGauge("routes", Routes, "routes", "Routes in the table, by source.");
        _meter.CreateObservableCounter("router_forwarded", () => Lab(l => l.Router.Forwarded), "packets", "Frames the router sent on.");
        _meter.CreateObservableCounter("router_icmp_errors_sent", () => Lab(l => l.Router.IcmpErrorsSent), "packets", "ICMP errors the router sent.");
        _meter.CreateObservableCounter("router_icmp_errors_suppressed", () => Lab(l => l.Router.IcmpErrorsSuppressed), "packets", "ICMP errors the rate limit held back.");
        _meter.CreateObservableCounter("router_dropped_before_table", () => Lab(l => l.Router.DroppedBeforeTable), "packets", "Frames read before the lab's first table reached the router.");
        _meter.CreateObservableCounter("router_echo_replies", () => Lab(l => l.Router.EchoReplies), "packets", "Echo requests to the engine's own addresses answered.");
        _meter.CreateObservableGauge("pool_batches", () => Lab(l => (long)l.Pool.Created), "batches", "Frame batches the pool has created (they are kept).");
        _meter.CreateObservableGauge("pool_max_batches", () => Lab(l => (long)l.Pool.MaxBatches), "batches", "The pool's limit.");
        _meter.CreateObservableGauge("pool_bytes", () => Lab(l => l.Pool.AllocatedBytes), "bytes", "Bytes held by the pool's frame buffers.");
        _meter.CreateObservableGauge("flood_active", () => Lab(l => l.Flood.IsFlooding ? 1L : 0L), description: "1 while the data-plane thread has stepped back for a flood of small frames.");
        _meter.CreateObservableCounter("floods", () => Lab(l => l.Flood.Floods), description: "Floods of small frames the data-plane thread stepped back for.");
        OpenFlowCounter("openflow_connections", "connections", "Connections that reached an OpenFlow controller.", c => c.Connections);
        OpenFlowCounter("openflow_messages_received", "messages", "OpenFlow messages received from controllers.", c => c.Received);
        OpenFlowCounter("openflow_errors_sent", "messages", "OpenFlow ERRORs sent: messages the switch could not take.", c => c.ErrorsSent);
        OpenFlowCounter("openflow_lying_lengths", "connections", "Controller connections closed for a header shorter than itself.", c => c.LyingLengths);
        OpenFlowCounter("openflow_tls_handshakes_failed", "handshakes", "TLS handshakes with a controller that failed.", c => c.TlsHandshakesFailed);
        OpenFlowCounter("openflow_packet_ins_sent", "messages", "PACKET_INs queued for a controller.", c => c.PacketInsSent);
        OpenFlowCounter("openflow_packet_ins_dropped", "messages",
            "PACKET_INs dropped because the controller's connection had its budget of bytes unsent.", c => c.PacketInsDropped);
        OpenFlowCounter("openflow_packet_out_turns_cut", "turns", "Turns of a connection that reached its bound of PACKET_OUTs.", c => c.PacketOutTurnsCut);
        _meter.CreateObservableCounter("transit_microseconds_bucket", TransitBuckets, "batches",
            "Batches by the time they spent inside the engine, from read to write, cumulative: at most le microseconds (quarter-octave buckets).");
    }

    /// <summary>From now on the instruments report <paramref name="lab"/>'s counts.</summary>
    public void Observe(LabCounters lab) => _lab = lab;

    public void Dispose() => _meter.Dispose();

    private void PortCounter(string name, string unit, string description, Func<PortCounters, long> read) =>
        _meter.CreateObservableCounter(name, () => Ports(read), unit, description);

    private IEnumerable<Measurement<long>> Lab(Func<LabCounters, long> read) =>
        _lab is { } lab ? [new Measurement<long>(read(lab))] : [];

    /// <summary>A counter of the OpenFlow switch, present only in a lab that has one.</summary>
    private void OpenFlowCounter(string name, string unit, string description, Func<OpenFlowCounters, long> read) =>
        _meter.CreateObservableCounter(name, () => _lab?.OpenFlow is { } counters ? [new Measurement<long>(read(counters))] : Array.Empty<Measurement<long>>(),
            unit, description);

    private IEnumerable<Measurement<long>> Ports(Func<PortCounters, long> read)
    {
        if (_lab is not { } lab) yield break;
        foreach (var port in lab.Ports)
            yield return new Measurement<long>(read(port.Counters), Tag("port", port.Name), Tag("kind", KindOf(port)));
    }

    private IEnumerable<Measurement<long>> Peers(Func<PortCounters, long> read)
    {
        if (_lab is not { } lab) yield break;
        foreach (var port in lab.Ports)
            if (port.IsPeer)
                yield return new Measurement<long>(read(port.Counters), Tag("peer", port.Name));
    }

    private IEnumerable<Measurement<long>> Drops()
    {
        if (_lab is not { } lab) yield break;
        foreach (var port in lab.Ports)
            for (var reason = 0; reason < DropReasons.Count; reason++)
                if (port.Counters.Drops((DropReason)reason) is var count and > 0)
                    yield return new Measurement<long>(count, Tag("port", port.Name), Tag("reason", ((DropReason)reason).Label()));
    }

    private IEnumerable<Measurement<long>> Routes()
    {
        if (_lab is not { } lab) yield break;
        foreach (var source in Enum.GetValues<RouteSource>())
            yield return new Measurement<long>(lab.Routes.Of(source), Tag("source", source.ToString().ToLowerInvariant()));
    }

    // All ports together, as the counter line's transit: per port it would be a hundred series a port.
    private IEnumerable<Measurement<long>> TransitBuckets()
    {
        if (_lab is not { } lab) yield break;
        foreach (var (upperBound, batches) in TransitCounts.Sum(lab.Ports.Select(port => port.Counters.Transit)).Cumulative())
            yield return new Measurement<long>(batches, Tag("le", upperBound?.ToString(CultureInfo.InvariantCulture) ?? "+Inf"));
    }

    private static string KindOf(Port port) => port.IsPeer ? "peer" : port.IsRouterInterface ? "router-interface" : port.IsEthernet ? "tap" : "tun";

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);
}
