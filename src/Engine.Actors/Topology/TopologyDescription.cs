using Engine.Native.Tun;
using System.Text;

namespace Engine.Actors.Topology;

/// <summary>Renders a <see cref="LabTopology"/> as the plan a network engineer reads before
/// running it: namespaces, then devices, then peers, then wires, then switches, then the control plane's interfaces, then routes, then rules, then engine settings.</summary>
internal static class TopologyDescription
{
    public static string Describe(LabTopology topology)
    {
        var text = new StringBuilder();
        foreach (var name in topology.Namespaces)
            text.Append("would create namespace ").Append(name).Append(" (unless it exists)\n");
        foreach (var device in topology.Devices)
            AppendDevice(text, device);
        foreach (var peer in topology.Peers)
            AppendPeer(text, peer);
        foreach (var wire in topology.Wires)
            text.Append("wire ").Append(wire).Append('\n');
        var routerPort = topology.Devices.Length + topology.Peers.Length;
        foreach (var @switch in topology.Switches)
        {
            text.Append("switch ").Append(@switch);
            // Router interfaces are ports after the peers, numbered for the controller's tags.
            if (!@switch.Gateways.IsEmpty)
                text.Append(" as port ").Append(routerPort++);
            text.Append('\n');
        }
        foreach (var mirror in ControlPlanePlan.Mirrors(topology))
            text.Append(mirror).Append('\n');
        var routes = RoutePlan.Build(topology);
        if (routes.Count == 0)
            text.Append("no routes\n");
        foreach (var route in routes)
            text.Append("route ").Append(route).Append('\n');
        foreach (var rule in topology.Rules)
            text.Append(rule).Append('\n');
        if (topology.Fpm is { } fpm)
            text.Append(fpm.Describe(fpm.NamespaceIn(topology))).Append('\n');
        if (topology.Metrics is { } metrics)
            text.Append(metrics.Describe()).Append('\n');
        if (topology.OpenFlow is { } openFlow)
            AppendOpenFlow(text, openFlow, topology);
        AppendSettings(text, topology.Settings);
        return text.ToString();
    }

    public static string Describe(DeviceSpec device)
    {
        var text = new StringBuilder();
        AppendDevice(text, device);
        return text.ToString(0, text.Length - 1);
    }

    public static string Describe(PeerSpec peer)
    {
        var text = new StringBuilder();
        AppendPeer(text, peer);
        return text.ToString(0, text.Length - 1);
    }

    private static void AppendPeer(StringBuilder text, PeerSpec peer)
    {
        text.Append("peer ").Append(peer.Name).Append(" (").Append(PeerNames.Of(peer.Role))
            .Append(", ").Append(PeerNames.Of(peer.Transport))
            .Append(", ").Append(PeerNames.Of(peer.Framing));
        if (peer.Mtu is { } mtu)
            text.Append(", mtu ").Append(mtu);
        if (peer.Key is not null)
            text.Append(", authenticated");
        text.Append(')');
        if (peer.Listen is not null)
            text.Append(" listening on ").Append(peer.Listen);
        if (peer.Connect is not null)
            text.Append(peer.Listen is null ? " connecting to " : ", sending to ").Append(peer.Connect);
        text.Append(peer.Namespace is null ? " in the engine's namespace" : " in " + peer.Namespace);
        if (!peer.Allow.IsEmpty)
            text.Append(", accepting only ").Append(string.Join(", ", peer.Allow));
        text.Append('\n');
    }

    private static void AppendDevice(StringBuilder text, DeviceSpec device)
    {
        text.Append("device ").Append(device.Name)
            .Append(" (").Append(device.Type == DeviceType.Tun ? "tun" : "tap").Append(", mtu ").Append(device.Mtu);
        if (device.IsNameTemplate)
            text.Append(", name assigned by the kernel");
        if (device.Persistent)
            text.Append(", persistent");
        if (device.Offloads == TunOffloads.None)
            text.Append(", offload off");
        else if (device.Offloads != DeviceSpec.AllOffloads)
            text.Append(", offload ").Append(OffloadNames.Describe(device.Offloads));
        if (device.Queues > 1)
            text.Append(", ").Append(device.Queues).Append(" queues");
        text.Append(')');
        text.Append(device.Namespace is null ? " in the engine's namespace" : " in " + device.Namespace);
        if (device.Switch is not null)
            text.Append(" on switch ").Append(device.Switch);
        text.Append(device.Addresses.IsEmpty ? ", no address" : " with " + string.Join(", ", device.Addresses));
        if (!device.Gateways.IsEmpty)
            text.Append(", default via ").Append(string.Join(", ", device.Gateways));
        text.Append('\n');
    }

    private static void AppendOpenFlow(StringBuilder text, OpenFlowSpec openFlow, LabTopology topology)
    {
        text.Append("openflow 1.3 switch, datapath id ").Append(openFlow.DatapathId.ToString("x16"))
            .Append(", fail-mode ").Append(openFlow.FailMode == OpenFlowFailMode.Secure ? "secure" : "standalone")
            .Append(", echo every ").Append(DurationText.Format(openFlow.EchoInterval))
            .Append(", dialing ").Append(string.Join(", ", openFlow.Controllers.Select(controller => controller.Describe())))
            .Append(openFlow.Listen is { } listen ? $", listening on {listen.DescribeListen()}" : "")
            .Append(openFlow.Tls is { } tls ? $", tls certificate {tls.Certificate}, ca-certificate {tls.CaCertificate}" : "").Append('\n');
        text.Append("openflow ports ").Append(string.Join(", ", topology.OpenFlowPorts.Select(p => $"{p.Number} {p.Name}"))).Append('\n');
    }

    private static void AppendSettings(StringBuilder text, EngineSettings settings)
    {
        text.Append(settings.CountersInterval is { } interval
            ? "counters logged every " + DurationText.Format(interval)
            : "counters not logged");
        text.Append(", batch size ").Append(settings.BatchSize);
        if (settings.BusyPoll > TimeSpan.Zero) text.Append(", data plane polls ").Append(DurationText.Format(settings.BusyPoll)).Append(" before it sleeps");
        text.Append(", log ").Append(LogNames.Name(settings.LogLevel)).Append(" and above as ").Append(LogNames.Name(settings.LogFormat));
        text.Append(settings.LogFile is null ? " to console only" : " to console and " + settings.LogFile);
        text.Append('\n');
    }
}
