using System.Globalization;
using Akka.Actor;
using Engine.Actors.Counters;
using Engine.Actors.Lab;
using Engine.Actors.Routing;
using Serilog.Events;
using Serilog.Parsing;
using Xunit;

namespace Engine.Tests.Lab;

public class CounterSummaryTests
{
    [Fact]
    public void Rates_are_what_each_total_gained_over_the_interval()
    {
        var before = new PortTotals(RxPackets: 100, RxBytes: 10_000, TxPackets: 50, TxBytes: 4_000, Drops: 1);
        var now = new PortTotals(RxPackets: 700, RxBytes: 70_000, TxPackets: 50, TxBytes: 4_000, Drops: 4);

        Assert.Equal(new PortRates(10, 1_000, 0, 0, 0.05), now.RatesSince(before, TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public void No_time_gives_no_rate() =>
        Assert.Equal(default, new PortTotals(5, 5, 5, 5, 5).RatesSince(default, TimeSpan.Zero));

    [Fact]
    public void Port_line_shows_each_rate_beside_its_total()
    {
        var counters = new PortCounters();
        counters.AddRx(120, 9_840);
        counters.AddTx(60, 4_920);
        counters.AddDrop(DropReason.NoRoute, 6);
        counters.AddMacLimit();
        var port = new Port(0, "tun-a", ActorRefs.Nobody, 1500, counters);
        var totals = PortTotals.Of(counters);

        var line = Render(CounterSummary.PortTemplate + CounterSummary.MacLimitSuffix,
            [.. CounterSummary.PortArgs(port, totals, totals.RatesSince(default, TimeSpan.FromSeconds(60))), counters.MacLimit]);

        Assert.Equal("tun-a: rx 120 pkts 9840 B (2.0 pkt/s, 164 B/s) in batches of 120.0, tx 60 pkts 4920 B (1.0 pkt/s, 82 B/s) in writes of 1.0, "
            + "drops no-route=6 (0.1/s), mac-limit=1 (sources not learned)", line);
    }

    /// <summary>The template with its holes filled as the text log shows them (strings unquoted).</summary>
    private static string Render(string template, object[] args)
    {
        var parsed = new MessageTemplateParser().Parse(template);
        var holes = parsed.Tokens.OfType<PropertyToken>().ToArray();
        Assert.Equal(holes.Length, args.Length);
        var properties = holes.Select((hole, i) => new LogEventProperty(hole.PropertyName, new ScalarValue(args[i])))
            .ToDictionary(p => p.Name, p => p.Value);
        var text = new StringWriter(CultureInfo.InvariantCulture);
        foreach (var token in parsed.Tokens)
            if (token is PropertyToken hole && properties[hole.PropertyName] is ScalarValue { Value: string s }) text.Write(s);
            else token.Render(properties, text, CultureInfo.InvariantCulture);
        return text.ToString();
    }
}
