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
        Assert.Null(reactor.NiceRefused);
        Assert.Equal(7, reactor.Nice);
        Assert.NotEqual(7, NiceOfCurrentThread());
    }

    [Theory]
    [InlineData(-21)]
    [InlineData(20)]
    public void A_nice_value_outside_linux_range_is_refused_before_a_thread_starts(int nice) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Reactor("nice-range-test", nice));

    /// <summary>Field 19 of /proc/thread-self/stat, counted after the command name's closing parenthesis.</summary>
    private static int NiceOfCurrentThread()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16], System.Globalization.CultureInfo.InvariantCulture);
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
