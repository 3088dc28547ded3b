using Akka.TestKit.Xunit2;
using Engine.Actors.OpenFlow;
using Xunit;

namespace Engine.Tests.OpenFlow;

/// <summary>FLOW_MODs faster than the switch compiles its table are compiled together: the switch hears of them once.</summary>
public sealed class FlowChangeSignalTests : TestKit
{
    [Fact]
    public void Changes_before_the_switch_takes_the_news_are_told_once_and_a_change_after_it_is_told_again()
    {
        var owner = CreateTestProbe();
        var signal = new FlowChangeSignal(owner);

        for (var i = 0; i < 100; i++) signal.Raise();

        owner.ExpectMsg<FlowsChanged>();
        owner.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        signal.Take();
        signal.Raise();
        signal.Raise();

        owner.ExpectMsg<FlowsChanged>();
        owner.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }
}
