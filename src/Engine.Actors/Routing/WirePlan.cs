using Engine.Actors.Topology;

namespace Engine.Actors.Routing;

/// <summary>
/// Turns a lab's wires into each port's <see cref="PortWires"/>. An <c>engine</c>-framing link's
/// wires are tagged by their order among the wires naming that link (0, 1, ...), in file order;
/// every other port is in one wire and untagged.
/// </summary>
public static class WirePlan
{
    /// <param name="portIndex">The port number of a device or peer name.</param>
    /// <param name="portCount">How many ports are numbered: by default the lab's devices and peers (a reloaded lab keeps the places of removed ones).</param>
    /// <returns>Each port's wires by port number; null for a port no wire names.</returns>
    public static PortWires?[] Build(LabTopology lab, Func<string, int> portIndex, int? portCount = null)
    {
        var count = portCount ?? lab.Devices.Length + lab.Peers.Length;
        var tagged = new bool[count];
        foreach (var peer in lab.Peers)
            if (peer.Framing == PeerFraming.Engine) tagged[portIndex(peer.Name)] = true;

        var nextTag = new int[count];
        var ends = new List<WireEnd>?[count];
        foreach (var wire in lab.Wires)
        {
            var (first, second) = (portIndex(wire.First), portIndex(wire.Second));
            var firstTag = tagged[first] ? nextTag[first]++ : -1;
            var secondTag = tagged[second] ? nextTag[second]++ : -1;
            (ends[first] ??= []).Add(new WireEnd(second, secondTag));
            (ends[second] ??= []).Add(new WireEnd(first, firstTag));
        }

        var wires = new PortWires?[count];
        for (var port = 0; port < count; port++)
            if (ends[port] is { } list) wires[port] = new PortWires(list, tagged[port]);
        return wires;
    }
}
