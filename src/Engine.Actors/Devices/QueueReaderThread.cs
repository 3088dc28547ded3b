using Engine.Native.Reactor;
using Engine.Native.Tun;

namespace Engine.Actors.Devices;

/// <summary>
/// A thread of its own reading one extra queue of a multi-queue device: its own reactor, with
/// the queue's reader registered on it, so reads of that queue run in parallel with the data-
/// plane thread's routing and writing, at the data-plane thread's nice values (its usual one,
/// and the one it steps back to during a flood of small frames). Frames go to the
/// router as from any reader. Dispose stops and joins the thread; only then may the queue's fd
/// be closed.
/// </summary>
internal sealed class QueueReaderThread : IDisposable
{
    private readonly Reactor _reactor;

    /// <param name="dataplane">The data-plane reactor, whose nice values this thread takes: no flood backoff where it has none
    /// (the kernel's refusal holds for every thread of the process, and was logged once).</param>
    public QueueReaderThread(string name, Reactor dataplane, TunDevice queue, Func<Reactor, DeviceReader> createReader)
    {
        _reactor = new Reactor(name, dataplane.Priority.Nice, dataplane.Flood.IsEnabled ? dataplane.Flood.FloodNice : dataplane.Priority.Nice, dataplane.BusyPoll,
            dataplane.Priority.RealtimeRefused is null ? dataplane.Priority.RealtimePriority : 0);
        Exception? failure = null;
        using (var registered = new ManualResetEventSlim())
        {
            // A reactor registers fds only on its own thread; the wait is the length of one epoll_ctl.
            _reactor.Post(() =>
            {
                try { _reactor.Register(queue.Handle, createReader(_reactor)); }
                catch (Exception e) { failure = e; }
                finally { registered.Set(); }
            });
            registered.Wait();
        }
        if (failure is null) return;
        _reactor.Dispose();
        throw failure;
    }

    /// <summary>The thread's own reactor.</summary>
    public Reactor Reactor => _reactor;

    public void Dispose() => _reactor.Dispose();
}
