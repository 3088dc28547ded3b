using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Engine.Native.Interop;

namespace Engine.Native.Reactor;

/// <summary>
/// One thread that waits on many fds with epoll and also runs work posted to it.
///
/// The engine runs its data-plane actors on this thread (the work items are their mailboxes),
/// so a frame goes from the fd read, through the router, to the egress write without waiting
/// for another thread to wake: at low load that wake-up is what a frame's latency is made of.
///
/// Loop: run posted work; poll the fds without blocking; only if nothing is ready and no work
/// is queued, announce sleep and epoll_wait until an fd is ready or a poster writes the
/// eventfd; call the handlers of ready fds. Posting only writes the
/// eventfd when the loop has announced it is going to sleep, so a busy loop costs no syscall
/// per post.
///
/// The thread can run at a nice value of its own (<see cref="Priority"/>; the engine's
/// dataplane-nice). Above the applications', it lets them run first when the CPUs are short:
/// what they cannot take then waits, and is dropped, in the device queue the reactor reads
/// from, before any work is spent on it, not at the end of the whole path, in a full socket.
/// <see cref="Flood"/> moves it to a higher value only while a flood of small frames lasts.
///
/// With a <see cref="BusyPoll"/> window, the loop keeps polling without sleeping for that long
/// after the last fd was ready: the answer to what it just forwarded (a ping's reply, a TCP
/// ACK) is then read as it arrives, not after the wake-up of a thread that slept, which on a
/// virtual machine is most of a round trip. An idle loop still sleeps, and a flood never spins.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class Reactor : IDisposable
{
    private const int MaxEvents = 64;
    private const ulong WakeToken = ulong.MaxValue;

    private readonly int _epoll;
    private readonly int _wakeFd;
    private readonly ConcurrentQueue<Action> _work = new();
    private readonly ConcurrentQueue<IThreadPoolWorkItem> _items = new();
    private readonly Thread _thread;
    private IReadinessHandler?[] _byToken = new IReadinessHandler?[16];
    private int _sleeping;
    private volatile bool _stopping;
    private bool _wakeWritten;
    private long _nextToken;
    // Tokens of unregistered fds: reused only from the next turn on, when no event from the
    // turn that freed them (already returned by epoll) can still be dispatched.
    private readonly List<ulong> _released = [];
    private readonly Stack<ulong> _free = new();
    private long _turns;
    private readonly long _busyPollTicks;
    private long _lastReady;
    private readonly ManualResetEventSlim _started = new();

    /// <param name="nice">The loop thread's nice value (<see cref="LoopThreadPriority.MinNice"/> to <see cref="LoopThreadPriority.MaxNice"/>;
    /// 0 leaves it as it is). A refusal does not stop the reactor; <see cref="LoopThreadPriority.NiceRefused"/> says why.</param>
    /// <param name="floodNice">Its nice value while a flood of small frames lasts (<see cref="FloodBackoff"/>); at or below
    /// <paramref name="nice"/>, none.</param>
    /// <param name="busyPoll">How long to keep polling after the last ready fd before sleeping (zero: sleep at once).</param>
    /// <param name="realtimePriority">The loop thread's SCHED_FIFO priority while it is not busy (0: normal scheduling). A refusal
    /// does not stop the reactor; <see cref="LoopThreadPriority.RealtimeRefused"/> says why.</param>
    public Reactor(string name, int nice = 0, int floodNice = 0, TimeSpan busyPoll = default, int realtimePriority = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(busyPoll, TimeSpan.Zero);
        Priority = new LoopThreadPriority(name, nice, floodNice, realtimePriority);
        Name = name;
        BusyPoll = busyPoll;
        _busyPollTicks = (long)(busyPoll.TotalSeconds * Stopwatch.Frequency);
        _epoll = Libc.epoll_create1(Libc.EPOLL_CLOEXEC);
        if (_epoll < 0) throw NativeException.FromLastError("create epoll", name);
        _wakeFd = Libc.eventfd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
        if (_wakeFd < 0) throw NativeException.FromLastError("create eventfd", name);
        var ev = new Libc.EpollEvent { Events = Libc.EPOLLIN, Data = WakeToken };
        if (Libc.epoll_ctl(_epoll, Libc.EPOLL_CTL_ADD, _wakeFd, &ev) < 0)
            throw NativeException.FromLastError("watch eventfd", name);
        _thread = new Thread(Run) { Name = name, IsBackground = true };
        _thread.Start();
        // Only the thread knows its id; the reactor is not handed out before its priority is set.
        _started.Wait();
    }

    public string Name { get; }

    /// <summary>The loop thread's nice value, flood backoff and real-time priority.</summary>
    public LoopThreadPriority Priority { get; }

    /// <summary>Steps the loop thread back while a flood of small frames lasts; its readers count each batch into it.</summary>
    public FloodBackoff Flood => Priority.Flood;

    /// <summary>How long the loop polls on after the last ready fd before it sleeps.</summary>
    public TimeSpan BusyPoll { get; }

    /// <summary>
    /// The loop's turn number (one epoll wait each). A handler called again on the very next
    /// turn knows its fd stayed readable: frames are streaming in, so it reads a whole batch.
    /// Otherwise it reads one frame and lets it through before paying for the read that would
    /// find the queue empty.
    /// </summary>
    public long Turns => _turns;

    /// <summary>False once the loop has ended (after <see cref="Dispose"/>).</summary>
    public bool IsRunning => _thread.IsAlive;

    /// <summary>True on the reactor's own thread.</summary>
    public bool IsCurrentThread => Thread.CurrentThread == _thread;

    /// <summary>
    /// Watches <paramref name="fd"/> for readability; the handler runs on the reactor thread.
    /// Only from the reactor thread (an actor on the reactor's dispatcher, or posted work), so
    /// registration and handler dispatch never race. Returns the token that <see cref="Unregister"/> takes.
    /// </summary>
    public ulong Register(SafeHandle fd, IReadinessHandler handler)
    {
        EnsureOnReactorThread();
        var token = _free.Count > 0 ? _free.Pop() : (ulong)++_nextToken;
        if ((int)token >= _byToken.Length) Array.Resize(ref _byToken, _byToken.Length * 2);
        _byToken[token] = handler;
        var ev = new Libc.EpollEvent { Events = Libc.EPOLLIN, Data = token };
        if (Libc.epoll_ctl(_epoll, Libc.EPOLL_CTL_ADD, (int)fd.DangerousGetHandle(), &ev) < 0)
        {
            _byToken[token] = null;
            _released.Add(token);
            throw NativeException.FromLastError("watch fd", Name);
        }
        return token;
    }

    /// <summary>
    /// Also watches (or stops watching) <paramref name="fd"/> for writability: a socket that
    /// could not take a whole send, or one still connecting. Level-triggered like reads, so a
    /// handler turns it off once its queue is empty. Only from the reactor thread.
    /// </summary>
    public void WatchWritable(SafeHandle fd, ulong token, bool writable)
    {
        EnsureOnReactorThread();
        var ev = new Libc.EpollEvent { Events = Libc.EPOLLIN | (writable ? Libc.EPOLLOUT : 0), Data = token };
        if (Libc.epoll_ctl(_epoll, Libc.EPOLL_CTL_MOD, (int)fd.DangerousGetHandle(), &ev) < 0)
            throw NativeException.FromLastError("watch fd", Name);
    }

    /// <summary>Stops watching; must be called before the fd is closed.</summary>
    public void Unregister(SafeHandle fd, ulong token)
    {
        EnsureOnReactorThread();
        if (token < (ulong)_byToken.Length && _byToken[token] is not null)
        {
            _byToken[token] = null;
            _released.Add(token);
        }
        if (!fd.IsClosed) Libc.epoll_ctl(_epoll, Libc.EPOLL_CTL_DEL, (int)fd.DangerousGetHandle(), null);
    }

    /// <summary>Runs <paramref name="item"/> on the reactor thread, soon, in posting order.</summary>
    public void Post(IThreadPoolWorkItem item)
    {
        _items.Enqueue(item);
        WakeIfSleeping();
    }

    /// <summary>Runs <paramref name="action"/> on the reactor thread (control plane: allocates).</summary>
    public void Post(Action action)
    {
        _work.Enqueue(action);
        WakeIfSleeping();
    }

    // The handler table is read by the loop without locks; only the loop's own thread changes it.
    private void EnsureOnReactorThread()
    {
        if (!IsCurrentThread)
            throw new InvalidOperationException($"reactor {Name}: register and unregister fds from the reactor's own thread");
    }

    private void WakeIfSleeping()
    {
        if (Volatile.Read(ref _sleeping) == 1 && Interlocked.Exchange(ref _sleeping, 0) == 1)
        {
            ulong one = 1;
            Libc.write(_wakeFd, (byte*)&one, sizeof(ulong));
        }
    }

    private void Run()
    {
        Priority.Take();
        _started.Set();
        var events = stackalloc Libc.EpollEvent[MaxEvents];
        while (!_stopping)
        {
            foreach (var token in _released) _free.Push(token);
            _released.Clear();
            RunPosted();
            _turns++;
            var n = Wait(events, 0);
            if (n == 0 && _items.IsEmpty && _work.IsEmpty && !IsBusyPolling())
            {
                Interlocked.Exchange(ref _sleeping, 1);
                // A post that came after the check above but before the flag was set is seen here.
                // During a flood the wait is bounded, so that its end is judged (and the thread
                // back at its usual nice value) when the frames stop, not when the next one comes.
                if (_items.IsEmpty && _work.IsEmpty && !_stopping)
                    n = Wait(events, Flood.IsFlooding ? FloodBackoff.WindowMilliseconds : -1);
                Volatile.Write(ref _sleeping, 0);
                if (n == 0) Flood.Count(0, 0);
            }
            if (n > 0 && _busyPollTicks > 0) _lastReady = Stopwatch.GetTimestamp();

            for (var i = 0; i < n; i++)
            {
                var token = events[i].Data;
                if (token == WakeToken)
                {
                    ulong drained;
                    Libc.read(_wakeFd, (byte*)&drained, sizeof(ulong));
                    continue;
                }
                Dispatch(token, events[i].Events);
            }
        }
        RunPosted();
        // Only the loop closes its fds, once it is done with them and Dispose has written its
        // wake-up: Dispose may come from a handler on this thread, or stop waiting for a loop
        // still in a turn, and must never write to a number the kernel has given out again.
        SpinWait.SpinUntil(() => Volatile.Read(ref _wakeWritten));
        Libc.close(_wakeFd);
        Libc.close(_epoll);
    }

    private bool IsBusyPolling() =>
        _busyPollTicks > 0 && !Flood.IsFlooding && Stopwatch.GetTimestamp() - _lastReady < _busyPollTicks;

    // An error or hang-up goes to the read side, whose read then reports it.
    private void Dispatch(ulong token, uint ready)
    {
        try
        {
            if ((ready & Libc.EPOLLOUT) != 0) HandlerOf(token)?.OnWritable();
            // The write side may have closed and unregistered the fd: look the handler up again.
            if ((ready & (Libc.EPOLLIN | Libc.EPOLLERR | Libc.EPOLLHUP)) != 0) HandlerOf(token)?.OnReadable();
        }
        catch (Exception e)
        {
            Report(e);
        }
    }

    private IReadinessHandler? HandlerOf(ulong token) => token < (ulong)_byToken.Length ? _byToken[token] : null;

    private int Wait(Libc.EpollEvent* events, int timeoutMs)
    {
        while (true)
        {
            var n = Libc.epoll_wait(_epoll, events, MaxEvents, timeoutMs);
            if (n >= 0) return n;
            var errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.EINTR) throw new NativeException("wait", Name, errno);
        }
    }

    private void RunPosted()
    {
        // Bounded per turn, so fds are polled between bursts of actor work.
        for (var i = 0; i < 1024 && _items.TryDequeue(out var item); i++)
        {
            try { item.Execute(); }
            catch (Exception e) { Report(e); }
        }
        while (_work.TryDequeue(out var action))
        {
            try { action(); }
            catch (Exception e) { Report(e); }
        }
    }

    /// <summary>
    /// Told of an exception that escaped a handler or a work item; the loop goes on.
    /// Handlers report their own failures as messages; this is the last line.
    /// </summary>
    public event Action<Exception>? UnhandledError;

    private void Report(Exception e)
    {
        var sink = UnhandledError;
        if (sink is null) Console.Error.WriteLine($"reactor {Name}: {e}");
        else sink(e);
    }

    /// <summary>Stops the loop after its current turn; from another thread, waits (up to 5 s) for it to end.</summary>
    public void Dispose()
    {
        if (_stopping) return;
        _stopping = true;
        ulong one = 1;
        Libc.write(_wakeFd, (byte*)&one, sizeof(ulong));
        Volatile.Write(ref _wakeWritten, true);
        if (!IsCurrentThread) _thread.Join(TimeSpan.FromSeconds(5));
    }
}
