using Akka.Actor;
using Engine.Actors.Capture;
using Engine.Actors.Counters;
using Engine.Actors.Fpm;
using Engine.Actors.Lab;
using Engine.Actors.Router;
using Engine.Actors.Routing;

namespace Engine.Actors.Control;

/// <summary>
/// Answers the read-only requests by asking the actors that own the state, each with a timeout,
/// so a busy or stopping actor makes one answer fail, never the session, the reactor or the engine.
/// </summary>
public sealed class ControlQueries(IActorRef lab)
{
    public static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(3);

    /// <summary>A reload stops and starts ports and waits for them (a few seconds at most) before it answers.</summary>
    public static readonly TimeSpan ReloadTimeout = TimeSpan.FromSeconds(12);

    /// <summary>The pseudo-port a capture of the router's drops names.</summary>
    public const string DropsName = "drops";

    public async Task<byte[]> AnswerAsync(ControlRequest request)
    {
        try
        {
            var view = await lab.Ask<LabView>(GetLabView.Instance, AskTimeout);
            var router = view.Router is null ? null : await AskOrNull<RouterView>(view.Router, GetRouterView.Instance);
            return request.Command switch
            {
                ControlCommand.Status => await StatusAsync(view, router),
                ControlCommand.Routes => await RoutesAsync(view),
                ControlCommand.RouteAdd or ControlCommand.RouteDel => await ChangeRouteAsync(view, request),
                ControlCommand.Reload => ReloadReport.Write(await lab.Ask<ReloadAnswer>(ReloadLab.Instance, ReloadTimeout)),
                _ => ControlReply.Error(ControlErrorKind.BadRequest, $"{request.Command} is not a query"),
            };
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            return ControlReply.Error(ControlErrorKind.Failed, "the lab did not answer within " + AskTimeout.TotalSeconds + " s");
        }
    }

    /// <summary>The router and the port a capture request names, or the error line to answer with.</summary>
    public async Task<(IActorRef Router, Port Port)?> CaptureTargetAsync(string name, Action<byte[]> refuse)
    {
        try
        {
            var view = await lab.Ask<LabView>(GetLabView.Instance, AskTimeout);
            // A port of the lab named "drops" is that port; otherwise "drops" is the router's drops.
            var port = view.LivePorts.FirstOrDefault(p => p.Name == name)
                ?? (name == DropsName ? new Port(CaptureTaps.DropsPort, DropsName, ActorRefs.Nobody, 0, new PortCounters()) : null);
            if (port is null || port.IsRouterInterface)
                refuse(ControlReply.Error(ControlErrorKind.BadRequest,
                    $"no port {name} to capture; ports: {string.Join(", ", view.LivePorts.Where(p => !p.IsRouterInterface).Select(p => p.Name))}, and {DropsName} for the router's drops"));
            else if (view.Router is null)
                refuse(ControlReply.Error(ControlErrorKind.Failed, "the lab is not built yet"));
            else
                return (view.Router, port);
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            refuse(ControlReply.Error(ControlErrorKind.Failed, "the lab did not answer within " + AskTimeout.TotalSeconds + " s"));
        }
        return null;
    }

    /// <summary>
    /// `engine route add` and `del`: a runtime route, checked as a lab file's would be, handed to the
    /// route book; the answer says which source's route the table holds for the prefix now (a
    /// static route to the same prefix stays in front of a runtime one).
    /// </summary>
    private static async Task<byte[]> ChangeRouteAsync(LabView view, ControlRequest request)
    {
        if (view.RouteBook is null) return ControlReply.Error(ControlErrorKind.Failed, "the lab is not built yet");
        var adding = request.Command == ControlCommand.RouteAdd;
        TableRoute? route = null;
        string error;
        IpPrefix? prefix = adding
            ? (route = RuntimeRouteReader.Read(view, request, out error))?.Prefix
            : RuntimeRouteReader.Prefix(request.Prefix, out error);
        if (prefix is not { } target) return ControlReply.Error(ControlErrorKind.BadRequest, error);
        var set = await view.RouteBook.Ask<RuntimeRouteSet>(new SetRuntimeRoute(target, route), AskTimeout);
        if (!adding && !set.Existed)
            return ControlReply.Error(ControlErrorKind.BadRequest,
                $"no runtime route to {target} (routes from the lab file and from FPM are not deleted this way; `engine routes` lists them all)");
        return ControlReply.Ok(json =>
        {
            json.WriteString(adding ? "added" : "deleted", target.ToString());
            if (adding) json.WriteBoolean("replaced", set.Existed);
            json.WriteString("installed", set.Installed is { } source ? source.ToString().ToLowerInvariant() : "none");
        });
    }

    private static async Task<byte[]> RoutesAsync(LabView view)
    {
        var book = view.RouteBook is null ? null : await AskOrNull<RouteBookView>(view.RouteBook, GetRouteBookView.Instance);
        var fpm = view.Fpm is null ? null : await AskOrNull<InactiveFpmRoutes>(view.Fpm, GetInactiveFpmRoutes.Instance);
        return ControlReply.Ok(json => RouteReport.Write(json, view, book, fpm));
    }

    private static async Task<byte[]> StatusAsync(LabView view, RouterView? router)
    {
        var asks = view.LivePorts.Where(p => !p.IsRouterInterface)
            .Select(async port => (port.Index, State: await AskOrNull<PortState>(port.Target, GetPortState.Instance)));
        var states = new Dictionary<int, PortState>();
        foreach (var (index, state) in await Task.WhenAll(asks))
            if (state is not null) states[index] = state;
        return ControlReply.Ok(json => StatusReport.Write(json, view, router, states));
    }

    private static async Task<T?> AskOrNull<T>(IActorRef actor, object message) where T : class
    {
        try
        {
            return await actor.Ask<T>(message, AskTimeout);
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            return null;
        }
    }
}
