using System.Diagnostics;
using Engine.Native.Interop;
using Engine.Native.Reactor;
using Microsoft.Win32.SafeHandles;
using Xunit;

namespace Engine.Tests.Native;

public sealed class ReactorTests
{
    [Fact]
    public void A_handler_may_dispose_its_own_reactor_and_the_loop_ends_cleanly()
    {
        var reactor = new Reactor("dispose-test");
        var errors = 0;
        reactor.UnhandledError += _ => Interlocked.Increment(ref errors);
        using var readable = AlwaysReadable();
        var handler = new DisposingHandler(reactor);
        reactor.Post(() => reactor.Register(readable, handler));

        Assert.True(handler.Disposed.Wait(TimeSpan.FromSeconds(5)), "the handler was not called");
        // A loop that went on after its epoll fd was closed under it would now fail its wait.
        Assert.True(SpinWait.SpinUntil(() => !reactor.IsRunning, TimeSpan.FromSeconds(5)), "the loop did not end");
        Assert.Equal(0, errors);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task The_loop_thread_runs_at_the_nice_value_it_was_given()
    {
        using var reactor = new Reactor("nice-test", nice: 7);
        var seen = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        reactor.Post(() => seen.SetResult(NiceOfCurrentThread()));

        Assert.Equal(7, await seen.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Null(reactor.Priority.NiceRefused);
        Assert.Equal(7, reactor.Priority.Nice);
        Assert.NotEqual(7, NiceOfCurrentThread());
    }

    [Fact]
    public async Task A_flood_counted_on_the_loop_thread_moves_it_to_the_flood_nice_value_and_an_idle_loop_moves_it_back()
    {
        using var reactor = new Reactor("flood-test", nice: 0, floodNice: 6);
        if (reactor.Flood.DisabledBecause is { } why)
        {
            // Without CAP_SYS_NICE the way back would be refused: the reactor says so and never steps back.
            Assert.Contains("could not be undone", why);
            Assert.False(reactor.Flood.IsEnabled);
            return;
        }
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        reactor.Flood.Changed += change => { if (!change.Flooding) ended.TrySetResult(); };

        // What readers do under a 64-byte flood: batches of small frames, far more than 5·10⁴ a second.
        var duringFlood = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        reactor.Post(() =>
        {
            var end = Environment.TickCount64 + 2 * FloodBackoff.WindowMilliseconds + 20;
            while (Environment.TickCount64 < end) reactor.Flood.Count(64, 64 * 92);
            duringFlood.SetResult(NiceOfCurrentThread());
        });
        Assert.Equal(6, await duringFlood.Task.WaitAsync(TimeSpan.FromSeconds(5)));

        // Nothing more to read: the loop's bounded waits judge the calm windows.
        await ended.Task.WaitAsync(TimeSpan.FromSeconds(5));
        var after = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        reactor.Post(() => after.SetResult(NiceOfCurrentThread()));
        Assert.Equal(0, await after.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(1, reactor.Flood.Floods);
    }

    [Fact]
    public void A_loop_thread_that_inherited_a_nice_value_keeps_it_during_a_flood()
    {
        Reactor? reactor = null;
        // Raising one's own nice value needs no privilege; the reactor's thread inherits it.
        var creator = new Thread(() =>
        {
            Assert.Equal(0, Libc.setpriority(Libc.PRIO_PROCESS, (uint)Libc.gettid(), 3));
            reactor = new Reactor("inherit-test", nice: 0, floodNice: 6);
        });
        creator.Start();
        creator.Join();
        using var created = reactor!;

        Assert.False(created.Flood.IsEnabled);
        Assert.Equal("the thread runs at nice 3, inherited from the engine process", created.Flood.DisabledBecause);
    }

    [Theory]
    [InlineData(-21)]
    [InlineData(20)]
    public void A_nice_value_outside_linux_range_is_refused_before_a_thread_starts(int nice) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Reactor("nice-range-test", nice));

    [Fact]
    public async Task With_a_real_time_priority_the_loop_runs_under_sched_fifo_threads_it_starts_do_not_and_a_flood_runs_at_normal_scheduling()
    {
        using var reactor = new Reactor("realtime-test", nice: 0, floodNice: 6, realtimePriority: 1);
        if (reactor.Priority.RealtimeRefused is { } refused)
        {
            // Without CAP_SYS_NICE: refused, said so, and the loop runs as any thread.
            Assert.Contains("set real-time priority 1 of thread", refused.Message);
            Assert.False(reactor.Priority.IsRealtime);
            return;
        }
        var atStart = new TaskCompletionSource<((int, int) Loop, (int, int) Started)>(TaskCreationOptions.RunContinuationsAsynchronously);
        reactor.Post(() =>
        {
            var started = (-1, -1);
            var thread = new Thread(() => started = SchedulingOfCurrentThread());
            thread.Start();
            thread.Join();
            atStart.SetResult((SchedulingOfCurrentThread(), started));
        });
        var (loop, startedThread) = await atStart.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal((SchedFifo, 1), loop);
        Assert.Equal((SchedOther, 0), startedThread);
        Assert.True(reactor.Priority.IsRealtime);

        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        reactor.Flood.Changed += change => { if (!change.Flooding) ended.TrySetResult(); };
        var duringFlood = new TaskCompletionSource<((int, int) Scheduling, int Nice)>(TaskCreationOptions.RunContinuationsAsynchronously);
        reactor.Post(() =>
        {
            var end = Environment.TickCount64 + 2 * FloodBackoff.WindowMilliseconds + 20;
            while (Environment.TickCount64 < end) reactor.Flood.Count(64, 64 * 92);
            duringFlood.SetResult((SchedulingOfCurrentThread(), NiceOfCurrentThread()));
        });
        Assert.Equal(((SchedOther, 0), 6), await duringFlood.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.False(reactor.Priority.IsRealtime);

        await ended.Task.WaitAsync(TimeSpan.FromSeconds(5));
        var after = new TaskCompletionSource<(int, int)>(TaskCreationOptions.RunContinuationsAsynchronously);
        reactor.Post(() => after.SetResult(SchedulingOfCurrentThread()));
        Assert.Equal((SchedFifo, 1), await after.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.True(reactor.Priority.IsRealtime);
    }

    [Fact]
    public async Task A_busy_real_time_loop_runs_at_normal_scheduling_until_its_reads_calm_down()
    {
        using var reactor = new Reactor("busy-test", nice: 0, floodNice: 6, realtimePriority: 1);
        if (reactor.Priority.RealtimeRefused is not null) return; // without CAP_SYS_NICE: the test above checks the refusal
        var seen = new TaskCompletionSource<((int, int) Busy, (int, int) Calm)>(TaskCreationOptions.RunContinuationsAsynchronously);
        reactor.Post(() =>
        {
            // A window of 5,000 full-size frames a second, counted as from a second ago: bulk, not a flood.
            var start = Stopwatch.GetTimestamp() - Stopwatch.Frequency;
            var step = Stopwatch.Frequency / 5_000;
            for (var i = 0; i <= 5_000 / (1000 / FloodBackoff.WindowMilliseconds) + 1; i++) reactor.Flood.Count(1, 1500, start + i * step);
            var busy = SchedulingOfCurrentThread();
            reactor.Flood.Count(1, 1500); // now, after idle windows
            seen.SetResult((busy, SchedulingOfCurrentThread()));
        });
        var (busy, calm) = await seen.Task.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal((SchedOther, 0), busy);
        Assert.Equal((SchedFifo, 1), calm);
        Assert.Equal(0, reactor.Flood.Floods);
    }

    [Fact]
    public async Task A_real_time_loop_that_runs_most_of_a_window_is_busy_however_few_frames_it_reads()
    {
        using var reactor = new Reactor("busy-cpu-test", nice: 0, floodNice: 6, realtimePriority: 1);
        if (reactor.Priority.RealtimeRefused is not null) return; // without CAP_SYS_NICE: the test above checks the refusal
        var seen = new TaskCompletionSource<(int, int)>(TaskCreationOptions.RunContinuationsAsynchronously);
        reactor.Post(() =>
        {
            // What a few hundred super-frames a second cost: the thread runs all the time, for two windows.
            var end = Environment.TickCount64 + 2 * FloodBackoff.WindowMilliseconds + 20;
            var next = 0L;
            while (Environment.TickCount64 < end)
                if (Environment.TickCount64 >= next)
                {
                    reactor.Flood.Count(1, 64 * 1024);
                    next = Environment.TickCount64 + 5;
                }
            seen.SetResult(SchedulingOfCurrentThread());
        });

        Assert.Equal((SchedOther, 0), await seen.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.True(reactor.Flood.IsBusy);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(100)]
    public void A_real_time_priority_outside_sched_fifo_range_is_refused_before_a_thread_starts(int priority) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Reactor("realtime-range-test", realtimePriority: priority));

    private const int SchedOther = 0, SchedFifo = 1;

    /// <summary>Field 19 of /proc/thread-self/stat, counted after the command name's closing parenthesis.</summary>
    private static int NiceOfCurrentThread() => StatField(19);

    /// <summary>Fields 41 (policy) and 40 (real-time priority) of /proc/thread-self/stat.</summary>
    private static (int Policy, int Priority) SchedulingOfCurrentThread() => (StatField(41), StatField(40));

    private static int StatField(int field)
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[field - 3], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void With_a_busy_poll_window_the_loop_polls_on_after_a_ready_fd_and_then_sleeps()
    {
        using var reactor = new Reactor("busy-poll-test", busyPoll: TimeSpan.FromMilliseconds(50));
        var before = SignalOnceWhenAsleep(reactor);
        // Polling on: turn after turn with nothing ready, for the window, then asleep again.
        Assert.True(SpinWait.SpinUntil(() => reactor.Turns > before + 10, TimeSpan.FromSeconds(5)), "the loop did not poll on");
        Assert.True(SpinWait.SpinUntil(() => Asleep(reactor), TimeSpan.FromSeconds(5)), "the loop did not sleep after its window");
    }

    [Fact]
    public void Without_a_busy_poll_window_the_loop_sleeps_as_soon_as_nothing_is_ready()
    {
        using var reactor = new Reactor("no-busy-poll-test");
        var before = SignalOnceWhenAsleep(reactor);
        Assert.True(SpinWait.SpinUntil(() => Asleep(reactor), TimeSpan.FromSeconds(5)), "the loop did not sleep");
        Assert.InRange(reactor.Turns - before, 1, 3); // the turn that found the fd, and at most the one after it
    }

    /// <summary>The loop is asleep when its turn count stays still for 30 ms.</summary>
    private static bool Asleep(Reactor reactor)
    {
        var turns = reactor.Turns;
        Thread.Sleep(30);
        return reactor.Turns == turns;
    }

    /// <summary>
    /// Watches an eventfd that is ready once per signal, waits for the idle loop to sleep, signals
    /// it once and waits for its handler: returns the loop's turn count from before the signal.
    /// </summary>
    private static unsafe long SignalOnceWhenAsleep(Reactor reactor)
    {
        var fd = Libc.eventfd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
        Assert.True(fd >= 0, "eventfd");
        // Left to the finalizer: closed under the running reactor, its number could be given out again while still watched.
        var once = new SafeFileHandle(fd, ownsHandle: true);
        var handler = new DrainingHandler(once);
        reactor.Post(() => reactor.Register(once, handler));
        Assert.True(SpinWait.SpinUntil(() => reactor.Turns > 0 && Asleep(reactor), TimeSpan.FromSeconds(5)), "the idle loop did not sleep");

        var before = reactor.Turns;
        ulong one = 1;
        Assert.Equal(sizeof(ulong), (int)Libc.write(fd, (byte*)&one, sizeof(ulong)));
        Assert.True(handler.Called.Wait(TimeSpan.FromSeconds(5)), "the handler was not called");
        return before;
    }

    /// <summary>Reads the eventfd's count, so it is ready once per signal.</summary>
    private sealed unsafe class DrainingHandler(SafeFileHandle eventFd) : IReadinessHandler
    {
        public ManualResetEventSlim Called { get; } = new();

        public void OnReadable()
        {
            ulong count;
            Libc.read((int)eventFd.DangerousGetHandle(), (byte*)&count, sizeof(ulong));
            Called.Set();
        }
    }

    /// <summary>An eventfd holding a count: epoll reports it readable on every turn.</summary>
    private static SafeFileHandle AlwaysReadable()
    {
        var fd = Libc.eventfd(1, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
        Assert.True(fd >= 0, "eventfd");
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    private sealed class DisposingHandler(Reactor reactor) : IReadinessHandler
    {
        public ManualResetEventSlim Disposed { get; } = new();
        public int Calls { get; private set; }

        public void OnReadable()
        {
            Calls++;
            reactor.Dispose();
            Disposed.Set();
        }
    }
}
