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
