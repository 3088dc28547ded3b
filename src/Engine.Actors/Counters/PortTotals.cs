namespace Engine.Actors.Counters;

/// <summary>
/// A port's totals read at one moment, so the counter line can print, beside each total, its
/// rate over the interval since the previous reading.
/// </summary>
public readonly record struct PortTotals(long RxPackets, long RxBytes, long TxPackets, long TxBytes, long Drops)
{
    public static PortTotals Of(PortCounters counters) =>
        new(counters.RxPackets, counters.RxBytes, counters.TxPackets, counters.TxBytes, counters.TotalDrops);

    /// <summary>What each total gained since <paramref name="earlier"/>, per second over <paramref name="elapsed"/>; zero over no time.</summary>
    public PortRates RatesSince(PortTotals earlier, TimeSpan elapsed)
    {
        var seconds = elapsed.TotalSeconds;
        double PerSecond(long now, long before) => seconds > 0 ? (now - before) / seconds : 0;
        return new PortRates(PerSecond(RxPackets, earlier.RxPackets), PerSecond(RxBytes, earlier.RxBytes),
            PerSecond(TxPackets, earlier.TxPackets), PerSecond(TxBytes, earlier.TxBytes), PerSecond(Drops, earlier.Drops));
    }
}
