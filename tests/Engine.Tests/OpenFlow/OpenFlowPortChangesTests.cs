using Akka.Actor;
using Engine.Actors.Counters;
using Engine.Actors.OpenFlow;
using Engine.Actors.Routing;
using Xunit;

namespace Engine.Tests.OpenFlow;

/// <summary>A reload's ports as the switch takes them: the next set, the PORT_STATUS news, and what a controller then reads (os-ken parses it).</summary>
public class OpenFlowPortChangesTests
{
    private static Port Tap(int index, string name, bool peer = false) =>
        new(index, name, ActorRefs.Nobody, 1500, new PortCounters()) { IsEthernet = true, IsPeer = peer };

    [Fact]
    public void A_port_added_after_the_switchs_own_place_is_numbered_from_its_place_and_announced_as_added()
    {
        // Places 0 and 1 are the start's ports, 2 the switch's own, 3 a tap the reload added.
        Port[] ports = [Tap(0, "tap-a"), Tap(1, "east", peer: true), Tap(2, "openflow"), Tap(3, "tap-new")];
        var running = OpenFlowPortChanges.Numbered(0xab, ports, [0, 1]);
        running.Find(2)!.LinkUp = true;

        var (next, news) = OpenFlowPortChanges.Between(running, 0xab, ports, [0, 1, 3]);

        Assert.Equal([1u, 2u, 4u], next.All.Select(p => p.Number));
        Assert.Null(next.Find(3));
        var added = Assert.Single(news);
        Assert.Equal((4u, "tap-new", OfpPortReason.Add, true), (added.Port.Number, added.Port.Name, added.Reason, added.Port.LinkUp));
        // The ports the reload left alone keep their records, and the peer its link up.
        Assert.Same(running.Find(1), next.Find(1));
        Assert.True(next.Find(2)!.LinkUp);
    }

    [Fact]
    public void A_port_removed_is_announced_as_deleted_and_one_recreated_in_its_place_as_modified()
    {
        Port[] start = [Tap(0, "tap-a"), Tap(1, "tap-b"), Tap(2, "openflow")];
        var running = OpenFlowPortChanges.Numbered(0xab, start, [0, 1]);
        // tap-a recreated (new counters in its old place), tap-b removed (its place retired).
        Port[] reloaded = [Tap(0, "tap-a"), Port.Retired(1, "tap-b"), start[2]];

        var (next, news) = OpenFlowPortChanges.Between(running, 0xab, reloaded, [0]);

        Assert.Equal([1u], next.All.Select(p => p.Number));
        Assert.Same(reloaded[0].Counters, next.Find(1)!.Counters);
        Assert.Equal([(1u, OfpPortReason.Modify), (2u, OfpPortReason.Delete)], news.Select(n => (n.Port.Number, n.Reason)));
    }

    [Fact]
    public void A_controller_reads_the_added_port_in_port_desc_and_port_status_add_and_delete()
    {
        var harness = new SessionHarness();
        var added = new OpenFlowPort(5, "tap-new", OpenFlowPort.AddressFor(0xab, 5), new PortCounters());
        harness.Info.Replace(harness.Info.PortSet.Without(2).With(added));
        harness.Session.SendPortStatus(added, OfpPortReason.Add);
        harness.Session.SendPortStatus(harness.Ports[1], OfpPortReason.Delete);

        var statuses = OskenOracle.Parse(harness.Take());
        Assert.Equal(["OFPPortStatus", "OFPPortStatus"], statuses.Select(s => s.Class));
        Assert.Equal([0, 1], statuses.Select(s => s.Fields.GetProperty("reason").GetInt32()));
        Assert.Equal([(5, "tap-new"), (2, "tap-b")], statuses.Select(s => s.Fields.GetProperty("desc").GetProperty("OFPPort"))
            .Select(p => (p.GetProperty("port_no").GetInt32(), p.GetProperty("name").GetString())));

        var reply = OskenOracle.Parse(harness.Send(OskenOracle.Build("port_desc_request"))).Single();
        var ports = reply.Fields.GetProperty("body").EnumerateArray().Select(p => p.GetProperty("OFPPort")).ToArray();
        Assert.Equal([1, 3, 5], ports.Select(p => p.GetProperty("port_no").GetInt32()));
        Assert.Equal("02:00:00:ab:00:05", ports[2].GetProperty("hw_addr").GetString());
    }
}
