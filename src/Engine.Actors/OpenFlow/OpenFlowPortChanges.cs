using Engine.Actors.Routing;

namespace Engine.Actors.OpenFlow;

/// <summary>
/// The switch's ports after a reload, from the lab's ports and the places of those the switch
/// numbers (its devices and peers), and what each controller is told of them: PORT_STATUS ADD for
/// a port new to the set, DELETE for one gone, MODIFY for one recreated in its place (new counters,
/// its link as a new port's). A port the reload left alone keeps its record, and so its link state.
/// Pure: the switch swaps the set in and sends the news.
/// </summary>
public static class OpenFlowPortChanges
{
    /// <summary>The set the switch starts with: each port's link up, but a peer's, which is down until its link comes up, as the router assumes.</summary>
    public static OpenFlowPortSet Numbered(ulong datapathId, IReadOnlyList<Port> ports, IEnumerable<int> places) =>
        new(places.Select(place => PortFor(datapathId, ports[place])));

    public static (OpenFlowPortSet Next, IReadOnlyList<PortStatusChanged> News) Between(
        OpenFlowPortSet running, ulong datapathId, IReadOnlyList<Port> ports, IEnumerable<int> places)
    {
        var news = new List<PortStatusChanged>();
        var next = new List<OpenFlowPort>();
        foreach (var place in places)
        {
            var port = ports[place];
            var kept = running.Find(OpenFlowPortSet.NumberOf(place));
            if (kept is not null && kept.Name == port.Name && ReferenceEquals(kept.Counters, port.Counters))
            {
                next.Add(kept);
                continue;
            }
            var made = PortFor(datapathId, port);
            next.Add(made);
            news.Add(new PortStatusChanged(made, kept is null ? OfpPortReason.Add : OfpPortReason.Modify));
        }
        var set = new OpenFlowPortSet(next);
        foreach (var gone in running.All.Where(port => set.Find(port.Number) is null))
            news.Add(new PortStatusChanged(gone, OfpPortReason.Delete));
        return (set, news);
    }

    private static OpenFlowPort PortFor(ulong datapathId, Port port)
    {
        var number = OpenFlowPortSet.NumberOf(port.Index);
        return new OpenFlowPort(number, port.Name, OpenFlowPort.AddressFor(datapathId, number), port.Counters) { LinkUp = !port.IsPeer };
    }
}
