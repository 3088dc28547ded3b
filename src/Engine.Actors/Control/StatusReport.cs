using System.Text.Json;
using Engine.Actors.Counters;
using Engine.Actors.Lab;
using Engine.Actors.Router;
using Engine.Actors.Routing;
using Engine.Actors.Topology;

namespace Engine.Actors.Control;

/// <summary>
/// The "status" answer (docs/control.md): every port with its kind, state, namespace, MTU,
/// offloads, a peer's remote, framing and last heard, its packet and byte counters and drops by
/// reason; then the router's totals. A port whose actor did not answer in time has state "unknown".
/// </summary>
public static class StatusReport
{
    public static void Write(Utf8JsonWriter json, LabView lab, RouterView? router, IReadOnlyDictionary<int, PortState> states)
    {
        json.WriteBoolean("up", lab.Up);
        json.WriteString("node", lab.Lab.Settings.NodeName);
        json.WriteStartArray("ports");
        foreach (var port in lab.LivePorts)
            WritePort(json, lab.Lab, port, router, states.GetValueOrDefault(port.Index));
        json.WriteEndArray();
        json.WriteStartObject("router");
        json.WriteNumber("forwarded", lab.RouterCounters.Forwarded);
        json.WriteNumber("icmp_errors_sent", lab.RouterCounters.IcmpErrorsSent);
        json.WriteNumber("icmp_errors_rate_limited", lab.RouterCounters.IcmpErrorsSuppressed);
        json.WriteNumber("echo_replies", lab.RouterCounters.EchoReplies);
        json.WriteNumber("dropped_before_table", lab.RouterCounters.DroppedBeforeTable);
        json.WriteNumber("pool_batches", lab.Pool?.Created ?? 0);
        json.WriteNumber("pool_bytes", lab.Pool?.AllocatedBytes ?? 0);
        json.WriteEndObject();
        json.WriteStartObject("reloads");
        json.WriteNumber("applied", lab.Reloads);
        json.WriteNumber("failed", lab.FailedReloads);
        json.WriteEndObject();
    }

    private static void WritePort(Utf8JsonWriter json, LabTopology lab, Port port, RouterView? router, PortState? state)
    {
        json.WriteStartObject();
        json.WriteString("name", port.Name);
        // By name: a reload appends the ports it adds, so a device's place need not be its place in the file.
        var device = port.IsPeer || port.IsRouterInterface || port.MirrorOf >= 0 ? null : lab.Devices.FirstOrDefault(d => d.Name == port.Name);
        var peer = device is null && port.IsPeer ? lab.Peers.FirstOrDefault(p => p.Name == port.Name) : null;
        json.WriteString("kind", device is not null ? DeviceKind(device) : peer is not null ? "peer" : "router-interface");
        // A router interface has no actor of its own: it is up while its switch is, that is, always.
        json.WriteString("state", port.IsRouterInterface ? "up" : state?.State ?? "unknown");
        if (device?.Namespace is { } space) json.WriteString("namespace", space);
        else if (peer?.Namespace is { } peerSpace) json.WriteString("namespace", peerSpace);
        json.WriteNumber("mtu", port.Mtu);
        json.WriteStartArray("offloads");
        foreach (var name in OffloadNames(router is not null && port.Index < router.Offloads.Count ? router.Offloads[port.Index] : PortOffloads.None))
            json.WriteStringValue(name);
        json.WriteEndArray();
        if (peer is not null) WritePeer(json, peer, state);
        WriteCounters(json, port.Counters);
        json.WriteEndObject();
    }

    private static void WritePeer(Utf8JsonWriter json, PeerSpec peer, PortState? state)
    {
        json.WriteString("role", PeerNames.Of(peer.Role));
        json.WriteString("transport", PeerNames.Of(peer.Transport));
        json.WriteString("framing", PeerNames.Of(peer.Framing));
        if (peer.Listen is { } listen) json.WriteString("listen", listen.ToString());
        if (state?.Remote is { } remote) json.WriteString("remote", remote);
        if (state?.LastHeard is { } heard) json.WriteNumber("last_heard_ms", (long)heard.TotalMilliseconds);
    }

    private static void WriteCounters(Utf8JsonWriter json, PortCounters counters)
    {
        json.WriteStartObject("rx");
        json.WriteNumber("packets", counters.RxPackets);
        json.WriteNumber("bytes", counters.RxBytes);
        json.WriteEndObject();
        json.WriteStartObject("tx");
        json.WriteNumber("packets", counters.TxPackets);
        json.WriteNumber("bytes", counters.TxBytes);
        json.WriteEndObject();
        json.WriteStartObject("drops");
        foreach (var reason in Enum.GetValues<DropReason>())
            if (counters.Drops(reason) is var count and not 0)
                json.WriteNumber(reason.Label(), count);
        json.WriteEndObject();
    }

    private static string DeviceKind(DeviceSpec device) => device.Type == DeviceType.Tap ? "tap" : "tun";

    /// <summary>What the router hands the port unfinished, in the names the lab file's offload list uses.</summary>
    public static IEnumerable<string> OffloadNames(PortOffloads offloads)
    {
        if ((offloads & PortOffloads.PartialChecksum) != 0) yield return "checksum";
        if ((offloads & PortOffloads.TcpV4) != 0) yield return "tso4";
        if ((offloads & PortOffloads.TcpV6) != 0) yield return "tso6";
        if ((offloads & PortOffloads.Udp) != 0) yield return "uso";
    }
}
