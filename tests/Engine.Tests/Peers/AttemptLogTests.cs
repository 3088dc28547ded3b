using Engine.Actors.Peers;
using Xunit;

namespace Engine.Tests.Peers;

public sealed class AttemptLogTests
{
    private static readonly long Window = (long)AttemptLog.Window.TotalMilliseconds;

    [Fact]
    public void A_window_admits_a_few_attempts_and_holds_back_the_rest()
    {
        var log = new AttemptLog();
        for (var i = 0; i < AttemptLog.PerWindow; i++)
            Assert.True(log.Admit(1000 + i, out _));

        Assert.False(log.Admit(1010, out var first));
        Assert.True(first);
        Assert.False(log.Admit(1020, out var second));
        Assert.False(second);
        Assert.Equal(2, log.TakeHeld());
        Assert.Equal(0, log.TakeHeld());
    }

    [Fact]
    public void The_next_window_admits_again_and_a_new_hold_is_announced_again()
    {
        var log = new AttemptLog();
        for (var i = 0; i <= AttemptLog.PerWindow; i++) log.Admit(0, out _);
        Assert.Equal(1, log.TakeHeld());

        Assert.True(log.Admit(Window, out _));
        for (var i = 1; i < AttemptLog.PerWindow; i++) Assert.True(log.Admit(Window + i, out _));
        Assert.False(log.Admit(Window + 10, out var first));
        Assert.True(first);
    }
}
