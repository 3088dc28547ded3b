using Akka;
using Akka.Actor;
using Akka.Event;
using Akka.Hosting;
using Akka.Logger.Serilog;
using Engine.Actors.Control;
using Engine.Actors.Dataplane;
using Engine.Actors.Lab;
using Engine.Actors.Topology;
using Engine.Native.Reactor;
using Microsoft.Extensions.DependencyInjection;

namespace Engine.Hosting;

/// <summary>Composition of the engine under Microsoft.Extensions.Hosting + Akka.Hosting.</summary>
public static class EngineHostingExtensions
{
    /// <summary>Akka settings the engine relies on; the lab file's own `akka { }` section wins.</summary>
    private const string EngineDefaults = """
        akka {
          log-dead-letters = 10
          log-dead-letters-during-shutdown = off
          actor.serialize-messages = off
          # Sleeps until the next timer is due, where Akka's wheel wakes every 10 ms (issue 16).
          scheduler.implementation = "Engine.Actors.Dataplane.DeadlineScheduler, Engine.Actors"
          coordinated-shutdown {
            default-phase-timeout = 5s
            exit-clr = off
            run-by-clr-shutdown-hook = off
          }
        }
        engine.control-dispatcher {
          type = ForkJoinDispatcher
          throughput = 10
          dedicated-thread-pool { thread-count = 1, threadtype = background }
        }
        """;

    /// <param name="source">The lab file, read again by `engine reload` and SIGHUP; null: the lab cannot be reloaded.</param>
    public static IServiceCollection AddEngine(this IServiceCollection services, LabTopology lab, string labHocon, EngineControl control, LabSource? source = null)
    {
        var reactor = new Reactor("dataplane", lab.Settings.DataplaneNice, lab.Settings.FloodNice, lab.Settings.BusyPoll, lab.Settings.DataplaneRealtime);
        services.AddSingleton(reactor);
        var notify = SdNotify.FromEnvironment();
        services.AddSingleton(notify);
        services.AddAkka("engine", builder => builder
            .AddHocon(labHocon, HoconAddMode.Prepend)
            // The engine's log level wins over the lab's akka.loglevel and stdout-loglevel: one level for the whole log.
            .AddHocon(EngineLogging.AkkaLogSettings(lab.Settings), HoconAddMode.Prepend)
            .AddHocon(EngineDefaults, HoconAddMode.Append)
            .ConfigureLoggers(setup =>
            {
                setup.ClearLoggers();
                setup.AddLogger<SerilogLogger>();
            })
            .WithActors((system, registry) =>
            {
                ReactorDispatcher.Register(system, reactor);
                reactor.UnhandledError += e => system.Log.Error(e, "unhandled error on the reactor thread");
                if (reactor.Priority.NiceRefused is { } refused)
                    system.Log.Warning("data-plane thread stays at its nice value: {Reason}", refused.Message);
                if (reactor.Priority.RealtimeRefused is { } notRealtime)
                    system.Log.Warning("data-plane thread runs at normal scheduling: {Reason}", notRealtime.Message);
                FloodLog.Attach(reactor, system.Log);
                // Before the lab, so that it hears the lab come up.
                var watchdog = SdNotify.WatchdogInterval(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), Environment.GetEnvironmentVariable("WATCHDOG_PID"));
                var readiness = system.ActorOf(Readiness.Props(control.Readiness, control.SocketPath, notify, watchdog), "readiness");
                if (lab.Metrics is { } metrics) MetricsEndpoint.Start(system, metrics);
                var labActor = system.ActorOf(LabActor.Props(lab, reactor, source), "lab");
                registry.Register<LabActor>(labActor);
                readiness.Tell(new Readiness.WatchLab(labActor));
                system.ActorOf(ControlServer.Props(control.Listener, control.SocketPath, labActor, lab.Settings.ControlGroup), "control");
            })
            .AddStartup((system, registry) =>
            {
                var shutdown = CoordinatedShutdown.Get(system);
                shutdown.AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "notify-stopping", () =>
                {
                    notify.Send("STOPPING=1");
                    return Task.FromResult(Done.Instance);
                });
                // Stopping actors leaves their timers' last ticks and their links' last words
                // undelivered; during an orderly stop that is expected, not worth a line. Akka's
                // log-dead-letters-during-shutdown only starts once the actor system terminates, after the lab has stopped.
                shutdown.AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "quiet-dead-letters", async () =>
                {
                    var listener = await system.ActorSelection("/system/deadLetterListener").ResolveOne(TimeSpan.FromSeconds(1))
                        .ContinueWith(found => found.IsCompletedSuccessfully ? found.Result : null);
                    if (listener is not null) await listener.GracefulStop(TimeSpan.FromSeconds(1));
                    return Done.Instance;
                });
                shutdown.AddTask(CoordinatedShutdown.PhaseServiceStop, "stop-lab", async () =>
                {
                    // Devices close before their namespaces are deleted: LabActor.PostStop runs after its children's.
                    await registry.Get<LabActor>().GracefulStop(TimeSpan.FromSeconds(4));
                    return Done.Instance;
                });
                shutdown.AddTask(CoordinatedShutdown.PhaseActorSystemTerminate, "stop-reactor", () =>
                {
                    reactor.Dispose();
                    return Task.FromResult(Done.Instance);
                });
            }));
        return services;
    }
}
