using Engine.Actors.Dataplane;
using Xunit;

namespace Engine.Tests.Dataplane;

/// <summary>What blocking work opened reaches its actor, or is closed when the actor went meanwhile; never both, never neither.</summary>
public sealed class HandoffTests : Akka.TestKit.Xunit2.TestKit
{
    [Fact]
    public void The_result_reaches_the_owner_once_and_stays_open()
    {
        var owner = CreateTestProbe();
        var work = new TaskCompletionSource<Opened>();
        var handoff = Handoff<Opened>.Start(work.Task, owner.Ref, opened => opened.Close());

        var opened = new Opened();
        work.SetResult(opened);

        var done = owner.ExpectMsg<HandoffDone>();
        Assert.Same(handoff, done.Handoff);
        Assert.Null(done.Failure);
        Assert.Same(opened, handoff.Take());
        Assert.Null(handoff.Take());
        handoff.Abandon();
        Assert.False(opened.Closed);
    }

    [Fact]
    public void What_is_opened_after_the_owner_abandoned_it_is_closed_and_nothing_is_sent()
    {
        var owner = CreateTestProbe();
        var work = new TaskCompletionSource<Opened>();
        var handoff = Handoff<Opened>.Start(work.Task, owner.Ref, opened => opened.Close());

        handoff.Abandon();
        var opened = new Opened();
        work.SetResult(opened);

        Assert.True(opened.Closed);
        owner.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Null(handoff.Take());
    }

    [Fact]
    public void What_is_opened_but_not_yet_taken_when_the_owner_goes_is_closed()
    {
        var owner = CreateTestProbe();
        var work = new TaskCompletionSource<Opened>();
        var handoff = Handoff<Opened>.Start(work.Task, owner.Ref, opened => opened.Close());
        var opened = new Opened();
        work.SetResult(opened);
        owner.ExpectMsg<HandoffDone>(); // on its way to an actor that stops before reading it

        handoff.Abandon();

        Assert.True(opened.Closed);
        Assert.Null(handoff.Take());
    }

    [Fact]
    public void A_failure_reaches_the_owner_with_its_exception()
    {
        var owner = CreateTestProbe();
        var work = new TaskCompletionSource<Opened>();
        var handoff = Handoff<Opened>.Start(work.Task, owner.Ref, opened => opened.Close());
        var failure = new InvalidOperationException("no such device");

        work.SetException(failure);

        var done = owner.ExpectMsg<HandoffDone>();
        Assert.Same(handoff, done.Handoff);
        Assert.Same(failure, done.Failure);
        Assert.Null(handoff.Take());
    }

    private sealed class Opened
    {
        public bool Closed { get; private set; }

        public void Close()
        {
            Assert.False(Closed, "closed twice");
            Closed = true;
        }
    }
}
