using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Engine.Native.Reactor;

namespace Engine.Actors.Dataplane;

/// <summary>
/// An Akka dispatcher whose only thread is a <see cref="Reactor"/>: actors on it run between
/// epoll waits, on the thread that reads the fds. Device reads, routing and device writes
/// then happen without a thread hand-off, which is what keeps an idle path as fast as a busy
/// one. Anything that blocks must stay off this dispatcher.
/// </summary>
public static class ReactorDispatcher
{
    public const string Id = "engine.dataplane-dispatcher";

    /// <summary>Registers the dispatcher <see cref="Id"/> on <paramref name="system"/>, backed by <paramref name="reactor"/>.</summary>
    public static void Register(ActorSystem system, Reactor reactor, int throughput = 64)
    {
        var dispatchers = system.Dispatchers;
        if (dispatchers.HasDispatcher(Id)) return;
        var config = ConfigurationFactory.ParseString($"id = \"{Id}\", throughput = {throughput}")
            .WithFallback(dispatchers.DefaultDispatcherConfig);
        dispatchers.RegisterConfigurator(Id, new Configurator(config, dispatchers.Prerequisites, reactor));
    }

    public static Props OnDataplane(this Props props) => props.WithDispatcher(Id);

    private sealed class Configurator : MessageDispatcherConfigurator
    {
        private readonly MessageDispatcher _dispatcher;

        public Configurator(Config config, IDispatcherPrerequisites prerequisites, Reactor reactor)
            : base(config, prerequisites)
        {
            _dispatcher = new Dispatcher(this, Id, config.GetInt("throughput"), null,
                new ExecutorFactory(reactor), TimeSpan.FromSeconds(1));
        }

        public override MessageDispatcher Dispatcher() => _dispatcher;
    }

    private sealed class ExecutorFactory(Reactor reactor) : ExecutorServiceFactory
    {
        public override ExecutorService Produce(string id) => new ReactorExecutor(id, reactor);
    }

    private sealed class ReactorExecutor(string id, Reactor reactor) : ExecutorService(id)
    {
        // Mailboxes are IRunnable and IThreadPoolWorkItem: posting them allocates nothing.
        public override void Execute(IRunnable run)
        {
            if (run is IThreadPoolWorkItem item) reactor.Post(item);
            else reactor.Post(run.Run);
        }

        // The reactor is owned by the host, which disposes it after the actor system is gone.
        public override void Shutdown() { }
    }
}
