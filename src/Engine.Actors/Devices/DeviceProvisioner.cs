using System.Net;
using System.Net.Sockets;
using Engine.Actors.Topology;
using Engine.Native;
using Engine.Native.Interop;
using Engine.Native.Namespaces;
using Engine.Native.Netlink;
using Engine.Native.Threading;
using Engine.Native.Tun;

namespace Engine.Actors.Devices;

/// <summary>
/// Creates a device where its spec says and configures it there, over rtnetlink: sets the MTU
/// (and a tap's MAC when the spec names one), adds its addresses, brings it up, and in a lab host's namespace points the default route at
/// the engine's gateway address. A lab host's device is created inside its namespace (on a
/// short-lived thread that entered it), so it never appears in the engine's own namespace;
/// the fd works from any namespace.
/// </summary>
internal static class DeviceProvisioner
{
    /// <summary>Opens every queue of the device (one unless <c>queues</c> says more) and configures the link; queue 0 first.</summary>
    public static TunDevice[] Open(DeviceSpec spec) =>
        spec.Namespace is { } name ? NetworkNamespace.RunInside(name, () => OpenHere(spec)) : OpenHere(spec);

    /// <summary>
    /// <see cref="Open"/> on a thread of its own, for a caller that must not block: the netlink round
    /// trips (up to their timeout) and entering the namespace happen there, not on the reactor.
    /// </summary>
    public static Task<TunDevice[]> OpenAsync(DeviceSpec spec) =>
        spec.Namespace is { } name
            ? NetworkNamespace.RunInsideAsync(name, () => OpenHere(spec))
            : DedicatedThread.Start($"open {spec.Name}", () => OpenHere(spec));

    // Runs in the device's namespace: the queues and the netlink socket are created there.
    private static TunDevice[] OpenHere(DeviceSpec spec)
    {
        var queues = OpenQueues(spec);
        try
        {
            using var netlink = RtNetlink.Open();
            ConfigureLink(netlink, queues[0].Name, spec, isLabHost: spec.Namespace is not null);
            return queues;
        }
        catch
        {
            foreach (var queue in queues) queue.Dispose();
            throw;
        }
    }

    // Later queues attach by the name the first one got (a "%d" template is filled in by then).
    private static TunDevice[] OpenQueues(DeviceSpec spec)
    {
        var queues = new List<TunDevice>(spec.Queues);
        try
        {
            queues.Add(OpenQueue(spec, spec.Name));
            while (queues.Count < spec.Queues) queues.Add(OpenQueue(spec, queues[0].Name));
            return [.. queues];
        }
        catch
        {
            foreach (var queue in queues) queue.Dispose();
            throw;
        }
    }

    private static TunDevice OpenQueue(DeviceSpec spec, string name)
    {
        var mode = spec.Type == DeviceType.Tap ? TunMode.Tap : TunMode.Tun;
        return spec.Offloads != TunOffloads.None
            ? TunDevice.OpenWithVnetHeader(name, mode, spec.Offloads, spec.Persistent, multiQueue: spec.Queues > 1)
            : TunDevice.Open(name, mode, spec.Persistent, multiQueue: spec.Queues > 1);
    }

    private static void ConfigureLink(RtNetlink netlink, string link, DeviceSpec spec, bool isLabHost)
    {
        netlink.SetLinkMtu(link, spec.Mtu);
        if (spec.Mac is { } mac)
        {
            Span<byte> bytes = stackalloc byte[6];
            mac.WriteTo(bytes);
            netlink.SetLinkAddress(link, bytes);
        }
        foreach (var address in spec.Addresses)
            IgnoreExisting(() => netlink.AddAddress(link, address.Address, address.PrefixLength));
        netlink.SetLinkUp(link);

        // Only a lab host's namespace gets a default route: the engine's own namespace keeps its routing.
        if (!isLabHost) return;
        var index = netlink.GetLinkIndex(link);
        foreach (var gateway in spec.Gateways)
        {
            var any = gateway.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any;
            IgnoreExisting(() => netlink.AddRoute(any, 0, gateway, index));
        }
    }

    // A persistent device that is reopened still has its addresses and routes.
    private static void IgnoreExisting(Action configure)
    {
        try { configure(); }
        catch (NativeException e) when (e.Errno == Errno.EEXIST) { }
    }
}
