using Akka.Event;
using Engine.Actors.Counters;
using Engine.Actors.OpenFlow;
using Xunit;

namespace Engine.Tests.OpenFlow;

/// <summary>A negotiated session of a switch with ports 1 tun-a, 2 tap-b, 3 east, and what it answers split into messages.</summary>
internal sealed class SessionHarness
{
    public SessionHarness(int capacity = OpenFlowFlowTable.DefaultCapacity, IOpenFlowDatapath? datapath = null, bool negotiate = true)
    {
        Ports = [.. new[] { "tun-a", "tap-b", "east" }.Select((name, i) => new OpenFlowPort((uint)i + 1, name, OpenFlowPort.AddressFor(0xab, (uint)i + 1), new PortCounters()))];
        Info = new OpenFlowSwitchInfo(0xab, Ports);
        Table = new OpenFlowFlowTable(capacity);
        Session = new OpenFlowSession(Info, Table, datapath, NoLogger.Instance, "test");
        Session.Start();
        Hello = Take().Single();
        if (negotiate) Assert.Null(Session.Receive(Hello13, Now));
    }

    /// <summary>A HELLO of 1.3 with no elements, as os-ken sends it.</summary>
    public static readonly byte[] Hello13 = [0x04, 0x00, 0x00, 0x08, 0, 0, 0, 1];

    public long Now { get; set; } = 1_000_000;

    public OpenFlowPort[] Ports { get; }
    public OpenFlowSwitchInfo Info { get; }
    public OpenFlowFlowTable Table { get; }
    public OpenFlowSession Session { get; }
    public byte[] Hello { get; }

    /// <summary>Feeds the messages; none may close the session.</summary>
    public byte[][] Send(params byte[][] messages)
    {
        foreach (var message in messages) Assert.Null(Session.Receive(message, Now));
        return Take();
    }

    /// <summary>What the session wrote since the last call, as whole messages.</summary>
    public byte[][] Take()
    {
        var written = Session.Output.Written.ToArray();
        Session.Output.Clear();
        var messages = new List<byte[]>();
        for (var at = 0; at < written.Length;)
        {
            Assert.Equal(OfpSplit.Message, OfpStreamSplitter.Next(written.AsSpan(at), out var length));
            messages.Add(written[at..(at + length)]);
            at += length;
        }
        return [.. messages];
    }
}
