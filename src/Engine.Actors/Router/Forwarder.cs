using Engine.Actors.Buffers;
using Engine.Actors.Capture;
using Engine.Actors.Counters;
using Engine.Actors.Dataplane;
using Engine.Actors.Routing;
using Engine.Actors.Wire;

namespace Engine.Actors.Router;

/// <summary>
/// Routes a batch of IP packets under one snapshot, behaving as a router does: longest-prefix
/// match on the destination, TTL / hop limit decrement, ICMP errors (time exceeded, unreachable,
/// fragmentation needed / packet too big) sent back out of the ingress port from the engine's
/// address there, echo replies for the engine's own addresses, IPv4 fragmentation when DF is
/// clear. Each frame is moved, not copied, into its egress port's batch; drops are counted with
/// their reason on the ingress port, except `unresolved`, which belongs to the Ethernet egress
/// whose neighbour is unknown. The rule table decides first (Forwarder.Rules.cs): a rule may
/// drop a frame or punt it to a controller. Otherwise a wired port's frames skip all of this and go to the far end of
/// their wire unchanged (Forwarder.Wires.cs), a switch member's are switched on their MAC
/// addresses (Forwarder.Switching.cs), and a switch's router interface joins the two, routing
/// what the switch hands it and switching what it sends (Forwarder.RouterInterface.cs). What a
/// controller sends out of a port is checked in Forwarder.PacketOut.cs. With a control-plane
/// namespace, what a routed port's link sends the router itself goes to that port's mirror there,
/// and what the mirror sends leaves through the port (Forwarder.ControlPlane.cs). Owned by one router
/// actor: not thread-safe.
/// </summary>
internal sealed partial class Forwarder : ISegmentDelivery, IRouterInterfaceEgress
{
    private readonly EgressBatches _egress;
    private readonly RouterCounters _counters;
    private readonly IcmpAnswers _icmp;
    private readonly EthernetLink _ethernet;
    private readonly PendingResolution _pending;
    private readonly Ipv4Fragmenter _fragmenter;
    private readonly SuperFrameSplitter _splitter;
    private readonly FragmentingDelivery _fragmenting;
    private readonly FrameFaults _faults;
    private readonly PortOffloadTable _offloads;
    private readonly WiredDelivery _wired;

    /// <param name="faults">Where a fault while routing one frame is counted and logged; by default, counted only.</param>
    /// <param name="offloads">What each port takes unfinished, kept by the router's state; by default, a table of this forwarder's own.</param>
    public Forwarder(FrameBatchPool pool, RouterCounters counters, IcmpRateLimiter icmpLimiter, FrameFaults? faults = null, PortOffloadTable? offloads = null)
    {
        _faults = faults ?? new FrameFaults(Akka.Event.NoLogger.Instance, "router");
        _offloads = offloads ?? new PortOffloadTable();
        _egress = new EgressBatches(pool, this);
        _counters = counters;
        _icmp = new IcmpAnswers(icmpLimiter, counters);
        _ethernet = new EthernetLink();
        _pending = new PendingResolution(pool);
        _fragmenter = new Ipv4Fragmenter(_ethernet);
        _splitter = new SuperFrameSplitter(pool);
        _fragmenting = new FragmentingDelivery(this);
        _wired = new WiredDelivery(_egress);
    }

    /// <summary>What <paramref name="port"/> takes unfinished from now on (its device opened with these offloads).</summary>
    public void SetOffloads(int port, PortOffloads offloads) => _offloads.Set(port, offloads);

    private PortOffloads OffloadsOf(Port port) => _offloads[port.Index];

    /// <summary>The captures fed what ports receive and are sent; null while there is none.</summary>
    public CaptureTaps? Captures
    {
        get => _egress.Captures;
        set => _egress.Captures = value;
    }

    /// <summary>
    /// Routes every frame of <paramref name="batch"/>, sends the results, releases the batch. A
    /// fault while routing one frame costs that frame alone (<see cref="FrameFaults"/>).
    /// </summary>
    public void Route(FrameBatch batch, RouteSnapshot routes)
    {
        var ingressIndex = batch.IngressPort;
        var ingress = (uint)ingressIndex < (uint)routes.Ports.Length ? routes.Ports[ingressIndex] : null;
        if (ingress is null && ingressIndex >= 0)
        {
            // Read before the lab's first table reached the router: no port to count them on, so the router does.
            _counters.AddDroppedBeforeTable(batch.Count);
            batch.Release();
            return;
        }
        _routes = routes;
        _egress.Origin = batch.ReadAt;
        _egress.Captures?.Received(batch);
        long forwarded = 0;
        try
        {
            for (var i = 0; i < batch.Count; i++)
            {
                try
                {
                    if (RouteOneAndCaptureDrops(batch, i, ingress, routes)) forwarded++;
                }
                catch (Exception fault)
                {
                    _faults.Record(fault, ingress?.Counters, ingress?.Name);
                }
            }
            // Answers from neighbours arrive on the ingress, or on the router interface of its
            // switch; what waited for them can go now.
            if (ingress is not null) forwarded += _pending.Retry(ingress, _ethernet, _egress);
            if (ingress?.Switch?.Switch is { HasRouter: true } l2) forwarded += _pending.Retry(routes.Ports[l2.RouterPort], _ethernet, _egress);
        }
        finally
        {
            _egress.Flush(routes);
            _counters.AddForwarded(forwarded);
            batch.Release();
        }
    }

    /// <summary>Routes frame <paramref name="index"/>: true when it (or what it became) went on to an egress.</summary>
    private bool RouteOne(FrameBatch batch, int index, Port? ingress, RouteSnapshot routes)
    {
        _nextHop = UInt128.Zero;
        if (ingress is { IsController: true } && (batch.Tag(index) >= 0 || batch.Note(index) == ControllerNote.Inject))
            return PacketOut(batch, index, ingress, routes);
        if (ingress is { MirrorOf: >= 0 })
            return FromControlPlane(batch, index, ingress, routes);
        if (routes.Rules is { } rules && ingress is not null && ApplyRules(batch, index, ingress, rules, routes) is { } decided)
            return decided;
        if (ingress?.Wires is { } wires)
            return Carry(batch, index, ingress, wires, routes);
        if (ingress?.Switch is { } membership)
            return SwitchOne(batch, index, ingress, membership, routes);
        return RouteFrame(batch, index, ingress, routes);
    }

    /// <summary>Routes frame <paramref name="index"/> from a routed port (or a switch's router interface): Ethernet first on an Ethernet port, then IP.</summary>
    private bool RouteFrame(FrameBatch batch, int index, Port? ingress, RouteSnapshot routes)
    {
        if (ingress is { ControlPlane: >= 0 } && ToControlPlane(batch, index, ingress, routes) is { } mirrored)
            return mirrored;
        if (ingress is { IsEthernet: true })
        {
            switch (_ethernet.Ingress(batch, index, ingress, out var linkDrop))
            {
                case EthernetLink.Verdict.Drop:
                    ingress.Counters.AddDrop(linkDrop);
                    return false;
                case EthernetLink.Verdict.Consumed:
                    return false;
                case EthernetLink.Verdict.Answer:
                    Deliver(batch, index, ingress, ingress, framed: true);
                    return false;
            }
        }

        var frame = batch.Frame(index);
        var version = frame.Length == 0 ? 0 : frame[0] >> 4;
        var outcome = version switch
        {
            4 => RouteIpv4(batch, index, ingress, routes),
            6 => RouteIpv6(batch, index, ingress, routes),
            _ => Outcome.Drop(frame.Length == 0 ? DropReason.Malformed : DropReason.Unsupported),
        };
        if (outcome.Reason is { } reason)
        {
            ingress?.Counters.AddDrop(reason);
            return false;
        }
        return outcome.Egress is { } egress && Deliver(batch, index, egress, ingress, framed: false);
    }

    /// <summary>
    /// Sends what waits for a neighbour that has answered since, and drops (counted) what waited
    /// too long, on every port: on a quiet one, no traffic would ever ask. Ages out switches' addresses.
    /// </summary>
    public void RetryHeld(RouteSnapshot routes)
    {
        _routes = routes;
        // Held frames waited for a neighbour, not for the engine: they are left out of its transit times.
        _egress.Origin = 0;
        long forwarded = 0;
        foreach (var port in routes.Ports) forwarded += _pending.Retry(port, _ethernet, _egress);
        SweepSwitches(routes);
        _egress.Flush(routes);
        _counters.AddForwarded(forwarded);
        _pending.Recount();
    }

    /// <summary>Moves frame <paramref name="index"/> to <paramref name="egress"/>; an IP packet (not <paramref name="framed"/>) gets its Ethernet header there first.</summary>
    private bool Deliver(FrameBatch batch, int index, Port egress, Port? ingress, bool framed)
    {
        ref var offload = ref batch.Offload(index);
        if ((offload.IsGso || offload.NeedsChecksum) && !OffloadsOf(egress).Accepts(offload))
        {
            if (offload.IsGso) return Split(batch, index, offload, egress, ingress, this);
            if (!SuperFrameSplitter.Complete(batch, index))
            {
                ingress?.Counters.AddDrop(DropReason.Malformed);
                return false;
            }
        }
        if (egress.IsEthernet && !framed && !_ethernet.Egress(batch, index, egress, _nextHop, _egress))
        {
            if (!_pending.TryHold(batch, index, egress, _nextHop)) egress.Counters.AddDrop(DropReason.Unresolved);
            return false;
        }
        // A controller learns where each frame came from; other ports ignore the tag.
        return MoveOut(_egress, batch, index, egress, ingress, ingress?.Index ?? -1);
    }

    /// <summary>
    /// Moves frame <paramref name="index"/> as it is into <paramref name="egress"/>'s batch with
    /// <paramref name="tag"/> and <paramref name="note"/>; false (counted) when the pool has no batch.
    /// </summary>
    private static bool MoveOut(EgressBatches outputs, FrameBatch batch, int index, Port egress, Port? ingress, int tag, int note = ControllerNote.None)
    {
        var target = outputs.For(egress);
        if (target is null)
        {
            ingress?.Counters.AddDrop(DropReason.NoBuffer);
            return false;
        }
        batch.MoveTo(index, target);
        target.SetTag(target.Count - 1, tag);
        target.SetNote(target.Count - 1, note);
        return true;
    }
}
