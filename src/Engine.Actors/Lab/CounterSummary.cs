using System.Diagnostics;
using Akka.Event;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Router;
using Engine.Actors.Routing;

namespace Engine.Actors.Lab;

/// <summary>
/// The counter summary logged every counters-interval: one line per port and one for the router,
/// each total with its rate over the time since the previous summary (since the lab started, for
/// the first), measured rather than assumed, since a timer can fire late.
/// </summary>
internal sealed class CounterSummary(ILoggingAdapter log)
{
    internal const string PortTemplate = "{Port}: rx {RxPackets} pkts {RxBytes} B ({RxPacketRate:F1} pkt/s, {RxByteRate:F0} B/s) in batches of {MeanBatch:F1}, "
        + "tx {TxPackets} pkts {TxBytes} B ({TxPacketRate:F1} pkt/s, {TxByteRate:F0} B/s) in writes of {MeanWrite:F1}, drops {Drops} ({DropRate:F1}/s)";

    internal const string MacLimitSuffix = ", mac-limit={MacLimit} (sources not learned)";

    private const string RouterTemplate = "router: forwarded {Forwarded} (+{ForwardedSince}, {ForwardedRate:F1}/s), icmp errors {IcmpSent} sent {IcmpSuppressed} rate-limited, "
        + "echo replies {EchoReplies}; process allocated {AllocatedSince} B since the last summary";

    internal const string TransitTemplate = "transit {Scope}: {Batches} batches, p50 {P50} us, p99 {P99} us, p99.9 {P999} us, max {Max} us";

    private readonly Dictionary<Port, PortTotals> _lastTotals = [];
    private TransitCounts _lastTransit = TransitCounts.Empty;
    private long _lastTimestamp = Stopwatch.GetTimestamp();
    private long _lastForwarded;
    // Allocation is the whole process's, so the line shows at a glance that forwarding costs none.
    private long _lastAllocated = GC.GetTotalAllocatedBytes();
    private long _lastPoolBytes;
    private int _lastPoolBatches;

    public void Log(IReadOnlyList<Port> ports, RouterCounters router, FrameBatchPool? pool)
    {
        var now = Stopwatch.GetTimestamp();
        var elapsed = Stopwatch.GetElapsedTime(_lastTimestamp, now);
        _lastTimestamp = now;
        foreach (var port in ports)
        {
            var totals = PortTotals.Of(port.Counters);
            var rates = totals.RatesSince(_lastTotals.GetValueOrDefault(port), elapsed);
            _lastTotals[port] = totals;
            var args = PortArgs(port, totals, rates);
            if (port.Counters.MacLimit is var macLimit and not 0) log.Info(PortTemplate + MacLimitSuffix, [.. args, macLimit]);
            else log.Info(PortTemplate, args);
        }
        LogRouter(router, pool, elapsed);
        var transit = Transit(ports);
        LogTransit("since the last summary", transit.Since(_lastTransit));
        _lastTransit = transit;
    }

    /// <summary>The transit times since the lab started: logged as it stops, where a bench reads them.</summary>
    public void LogTotalTransit(IReadOnlyList<Port> ports) => LogTransit("since the lab started", Transit(ports));

    private static TransitCounts Transit(IReadOnlyList<Port> ports) => TransitCounts.Sum(ports.Select(port => port.Counters.Transit));

    private void LogTransit(string scope, TransitCounts counts)
    {
        if (counts.Batches == 0) return;
        log.Info(TransitTemplate, scope, counts.Batches, counts.Percentile(0.5), counts.Percentile(0.99), counts.Percentile(0.999), counts.Max);
    }

    /// <summary>The values of <see cref="PortTemplate"/>'s holes, in order; a switch port at its MAC limit adds <see cref="MacLimitSuffix"/>'s.</summary>
    internal static object[] PortArgs(Port port, PortTotals totals, PortRates rates)
    {
        var c = port.Counters;
        var batch = c.RxBatches == 0 ? 0 : (double)c.RxPackets / c.RxBatches;
        var merged = c.TxWrites == 0 ? 0 : (double)c.TxPackets / c.TxWrites;
        return [port.Name, totals.RxPackets, totals.RxBytes, rates.RxPackets, rates.RxBytes, batch,
            totals.TxPackets, totals.TxBytes, rates.TxPackets, rates.TxBytes, merged, c.DescribeDropReasons(), rates.Drops];
    }

    // The frame pool's growth is named apart: it is capacity that a deeper queue took once.
    private void LogRouter(RouterCounters router, FrameBatchPool? pool, TimeSpan elapsed)
    {
        var forwarded = router.Forwarded;
        var allocated = GC.GetTotalAllocatedBytes();
        var poolBytes = pool?.AllocatedBytes ?? 0;
        var poolBatches = pool?.Created ?? 0;
        var forwardedRate = elapsed > TimeSpan.Zero ? (forwarded - _lastForwarded) / elapsed.TotalSeconds : 0;
        object[] counts = [forwarded, forwarded - _lastForwarded, forwardedRate, router.IcmpErrorsSent, router.IcmpErrorsSuppressed,
            router.EchoReplies, allocated - _lastAllocated];
        if (router.DroppedBeforeTable > 0)
            log.Info(RouterTemplate + ", {BeforeTable} frames dropped before the lab's table reached the router", [.. counts, router.DroppedBeforeTable]);
        else if (poolBatches == _lastPoolBatches)
            log.Info(RouterTemplate, counts);
        else
            log.Info(RouterTemplate + ", {PoolGrowth} B of it for {NewBatches} new frame batches ({Batches} in the pool)",
                [.. counts, poolBytes - _lastPoolBytes, poolBatches - _lastPoolBatches, poolBatches]);
        _lastForwarded = forwarded;
        _lastAllocated = allocated;
        _lastPoolBytes = poolBytes;
        _lastPoolBatches = poolBatches;
    }
}
