using Akka.Actor;
using Akka.Event;
using Engine.Actors.Fpm;
using Engine.Actors.Routing;
using Engine.Actors.Topology;
using Engine.Native;
using Engine.Native.Namespaces;
using Engine.Native.Netlink;
using Engine.Native.Reactor;

namespace Engine.Actors.Lab;

/// <summary>
/// The lab's FPM server: started when the lab has <c>engine.fpm</c>, with a netlink socket in
/// zebra's namespace to name the interfaces zebra's routes leave through, and its counters
/// logged with the lab's.
/// </summary>
internal sealed class LabFpm : IDisposable
{
    private readonly FpmServerCounters _counters = new();
    private RtNetlink? _links;

    /// <summary>Starts the server as a child of the lab; opening the netlink socket blocks (on the control dispatcher).</summary>
    public IActorRef Start(IActorContext context, FpmSpec fpm, LabTopology lab, IReadOnlyList<Port> ports, Reactor reactor, IActorRef routeBook)
    {
        var space = fpm.NamespaceIn(lab);
        var links = _links = space is null ? RtNetlink.Open() : NetworkNamespace.OpenRtNetlink(space);
        var resolver = new FpmRouteResolver(ConnectedSubnets.Of(lab), ByName(ports), index => LinkName(links, index));
        return context.ActorOf(FpmServerActor.Props(fpm, space, reactor, routeBook, resolver, _counters), "fpm");
    }

    /// <summary>Tells <paramref name="server"/> the reloaded lab's connected subnets and ports.</summary>
    public static void Reloaded(IActorRef server, LabTopology lab, IEnumerable<Port> ports) =>
        server.Tell(new FpmLabReloaded(ConnectedSubnets.Of(lab), ByName(ports)));

    private static Dictionary<string, int> ByName(IEnumerable<Port> ports) =>
        ports.Where(p => !p.IsRetired).ToDictionary(p => p.Name, p => p.Index, StringComparer.Ordinal);

    public void LogCounters(ILoggingAdapter log)
    {
        var c = _counters;
        var refused = Enum.GetValues<FpmRefusal>().Sum(c.Refused);
        log.Info("fpm: {Installed} routes installed, {Inactive} inactive; {Connections} connections, {BadStreams} closed for a bad stream, {RefusedSources} sources refused, {Refused} messages refused, {GraceExpired} graces expired",
            [c.Installed, c.Inactive, c.Connections, c.ClosedForBadStream, c.RefusedSources, refused, c.GraceExpired]);
    }

    public void Dispose() => _links?.Dispose();

    /// <summary>The name of the link with this index, or null when it does not exist (or the kernel cannot say).</summary>
    private static string? LinkName(RtNetlink links, int index)
    {
        try
        {
            return links.GetLink(index).Name;
        }
        catch (NativeException)
        {
            return null;
        }
    }
}
