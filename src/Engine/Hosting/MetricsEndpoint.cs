using Akka.Actor;
using Akka.Event;
using Engine.Actors.Lab;
using Engine.Actors.Metrics;
using Engine.Actors.Topology;
using Prometheus;

namespace Engine.Hosting;

/// <summary>
/// The lab's Prometheus endpoint (<c>engine.metrics</c>): prometheus-net serves <c>/metrics</c> and
/// exports the engine's <see cref="EngineMeter"/> instruments with the runtime's own, which read
/// the lab's counters (published on the event stream with LabUp) only when scraped.
/// </summary>
internal static class MetricsEndpoint
{
    /// <summary>Serves <paramref name="spec"/>'s endpoint for <paramref name="system"/>'s lab until the system stops.</summary>
    public static void Start(ActorSystem system, MetricsSpec spec)
    {
        var meter = new EngineMeter();
        system.ActorOf(Props.Create(() => new LabCountersFeed(meter)), "metrics");
        var server = new MetricServer(spec.Listen.Address.ToString(), spec.Listen.Port);
        try
        {
            server.Start();
        }
        catch (Exception e) when (e is System.Net.HttpListenerException or InvalidOperationException)
        {
            // Like a peer whose port is taken, a failed endpoint is said and costs nothing else.
            system.Log.Warning("metrics: cannot serve http://{Listen}/metrics: {Reason}", spec.Listen, e.Message);
            meter.Dispose();
            return;
        }
        system.Log.Info("metrics: serving http://{Listen}/metrics", spec.Listen);
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceUnbind, "stop-metrics", async () =>
        {
            await server.StopAsync();
            meter.Dispose();
            return Akka.Done.Instance;
        });
    }

    /// <summary>Hands the lab's counters to the meter when the lab says it is up, and again after each reload.</summary>
    private sealed class LabCountersFeed : ReceiveActor
    {
        public LabCountersFeed(EngineMeter meter)
        {
            Context.System.EventStream.Subscribe(Self, typeof(LabUp));
            Context.System.EventStream.Subscribe(Self, typeof(LabReloaded));
            Receive<LabUp>(up => meter.Observe(up.Counters));
            Receive<LabReloaded>(reloaded => meter.Observe(reloaded.Counters));
        }
    }
}
