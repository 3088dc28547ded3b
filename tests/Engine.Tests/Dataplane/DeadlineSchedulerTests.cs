using System.Diagnostics;
using Akka.Actor;
using Engine.Actors.Dataplane;
using Xunit;

namespace Engine.Tests.Dataplane;

/// <summary>
/// The engine's Akka scheduler: timers fire, never early, repeated ones at their rate, cancelled
/// ones never and out of the queue at once; and with nothing due its thread sleeps.
/// </summary>
public sealed class DeadlineSchedulerTests() : Akka.TestKit.Xunit2.TestKit(
    $"akka.scheduler.implementation = \"{typeof(DeadlineScheduler).AssemblyQualifiedName}\"")
{
    private DeadlineScheduler Scheduler => Assert.IsType<DeadlineScheduler>(Sys.Scheduler);

    [Fact]
    public void A_timer_fires_once_and_not_before_its_delay()
    {
        var started = Stopwatch.GetTimestamp();
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(200), TestActor, "due", ActorRefs.NoSender);

        ExpectMsg("due", TimeSpan.FromSeconds(5));
        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(200));
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Equal(0, Scheduler.Pending);
    }

    [Fact]
    public void A_sooner_timer_scheduled_while_the_thread_waits_for_a_later_one_fires_first()
    {
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(1), TestActor, "later", ActorRefs.NoSender);
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(50), TestActor, "sooner", ActorRefs.NoSender);

        ExpectMsg("sooner", TimeSpan.FromMilliseconds(900));
        ExpectMsg("later", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void A_repeated_timer_keeps_its_rate_and_never_runs_ahead_of_it()
    {
        var started = Stopwatch.GetTimestamp();
        var cancel = new Cancelable(Sys.Scheduler);
        Sys.Scheduler.ScheduleTellRepeatedly(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(50), TestActor, "tick", ActorRefs.NoSender, cancel);

        for (var i = 1; i <= 5; i++)
        {
            ExpectMsg("tick", TimeSpan.FromSeconds(5));
            Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(50 * i), $"tick {i} early");
        }
        cancel.Cancel();
        Assert.Equal(0, Scheduler.Pending);
        // A tick sent before the cancel may still be on its way.
        ReceiveWhile(TimeSpan.FromMilliseconds(50), m => m);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_cancelled_timer_never_fires_and_leaves_the_queue_at_once()
    {
        var cancel = new Cancelable(Sys.Scheduler);
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(100), TestActor, "cancelled", ActorRefs.NoSender, cancel);
        Assert.Equal(1, Scheduler.Pending);

        cancel.Cancel();

        Assert.Equal(0, Scheduler.Pending);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void An_actor_timer_replaced_by_its_key_fires_once()
    {
        var owner = Sys.ActorOf(Props.Create(() => new Rearming(TestActor)));
        owner.Tell("arm");
        owner.Tell("arm");
        owner.Tell("arm");

        ExpectMsg("fired", TimeSpan.FromSeconds(5));
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void With_nothing_due_soon_the_thread_sleeps()
    {
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromMinutes(1), TestActor, "much later", ActorRefs.NoSender);
        Thread.Sleep(50);
        var thread = TimerThread();
        var before = WakeUps(thread);

        Thread.Sleep(1000);

        // Akka's wheel would have woken about 100 times.
        Assert.True(WakeUps(thread) - before <= 1, $"woke {WakeUps(thread) - before} times");
    }

    private static string TimerThread() =>
        Directory.GetDirectories("/proc/self/task").Single(task => File.ReadAllText(Path.Combine(task, "comm")).Trim() == DeadlineScheduler.ThreadName);

    private static long WakeUps(string task) =>
        long.Parse(File.ReadLines(Path.Combine(task, "status")).Single(l => l.StartsWith("voluntary_ctxt_switches")).Split(':')[1].Trim());

    private sealed class Rearming : ReceiveActor, IWithTimers
    {
        public Rearming(IActorRef probe)
        {
            Receive<string>(m => m == "arm", _ => Timers.StartSingleTimer("key", "fired", TimeSpan.FromMilliseconds(100)));
            Receive<string>(m => m == "fired", m => probe.Tell(m));
        }

        public ITimerScheduler Timers { get; set; } = null!;
    }
}
