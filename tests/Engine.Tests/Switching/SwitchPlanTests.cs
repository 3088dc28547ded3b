using Engine.Actors.Switching;
using Xunit;

namespace Engine.Tests.Switching;

/// <summary>Router interfaces are ports after the devices and the peers, members of their switch after its ports.</summary>
public sealed class SwitchPlanTests
{
    [Fact]
    public void A_switch_with_a_gateway_gets_a_router_member_numbered_after_the_peers()
    {
        var lab = Topology.Lab.Valid("""
            engine {
              devices = [
                { name = tap-a, type = tap, namespace = host-a }
                { name = tap-b, type = tap, namespace = host-b }
                { name = tap-c, type = tap, namespace = host-c }
              ]
              peers = [ { name = east, role = engine, transport = tcp, connect = "127.0.0.1:7000", framing = length16 } ]
              switches = [
                { name = plain, ports = [tap-a] }
                { name = sw1, ports = [tap-b, east, tap-c], gateway = "10.0.5.254/24" }
              ]
            }
            """);

        var memberships = SwitchPlan.Build(lab, name => name switch { "tap-a" => 0, "tap-b" => 1, "tap-c" => 2, "east" => 3, _ => -1 });

        Assert.Equal(5, memberships.Length);
        Assert.False(memberships[0]!.Switch.HasRouter);
        var router = memberships[4]!;
        Assert.Equal("sw1", router.Switch.Name);
        Assert.Equal(3, router.Member);
        Assert.Equal(3, router.Switch.RouterMember);
        Assert.Equal(4, router.Switch.RouterPort);
        Assert.Equal([1, 3, 2, 4], router.Switch.MemberPorts);
        Assert.Same(router.Switch, memberships[3]!.Switch);
    }
}
