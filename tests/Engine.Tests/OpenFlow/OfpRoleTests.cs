using Akka.Event;
using Engine.Actors.OpenFlow;
using Xunit;

namespace Engine.Tests.OpenFlow;

/// <summary>
/// Roles between two controllers' connections to one switch, as os-ken's ROLE_REQUESTs ask
/// (spec section 6.3.7): a new master demotes the old to slave, a stale generation id is refused,
/// and a slave may neither change the table nor hear of its frames.
/// </summary>
public class OfpRoleTests
{
    private static (int Role, ulong Generation) Reply(byte[][] replies)
    {
        var (name, reply) = OskenOracle.Parse(replies).Single();
        Assert.Equal("OFPRoleReply", name);
        return (reply.GetProperty("role").GetInt32(), reply.GetProperty("generation_id").GetUInt64());
    }

    [Fact]
    public void A_new_master_demotes_the_old_one_to_slave_and_a_stale_generation_is_refused()
    {
        var a = new SessionHarness();
        var b = new OpenFlowSession(a.Info, a.Table, null, NoLogger.Instance, "b");
        b.Start();
        Assert.Null(b.Receive(SessionHarness.Hello13, a.Now));
        b.Output.Clear();

        Assert.Equal((2, 9UL), Reply(a.Send(OskenOracle.Build("role_request_master"))));
        Assert.Null(b.Receive(OskenOracle.Build("role_request_master_10")[0], a.Now));
        Assert.Equal(OfpRole.Master, b.Role);
        Assert.Equal(OfpRole.Slave, a.Session.Role);

        // The demoted connection may not change the table, and its frames go to the master only.
        var (name, error) = OskenOracle.Parse(a.Send(OskenOracle.Build("flow_add_miss"))).Single();
        Assert.Equal("OFPErrorMsg", name);
        Assert.Equal((1, 10), (error.GetProperty("type").GetInt32(), error.GetProperty("code").GetInt32()));
        a.Session.SendPacketIn(new PacketInRequest(OfpPacketInReason.NoMatch, 1, 0, new byte[60], OfpPortNumbers.ControllerNoBuffer));
        Assert.Empty(a.Take());

        // Generation 8 after 10 is stale: ROLE_REQUEST_FAILED/STALE, and nothing changes.
        (name, error) = OskenOracle.Parse(a.Send(OskenOracle.Build("role_request_master_8"))).Single();
        Assert.Equal((11, 0), (error.GetProperty("type").GetInt32(), error.GetProperty("code").GetInt32()));
        Assert.Equal(OfpRole.Master, b.Role);

        // The master stepping down to equal leaves no master; the demoted connection stays a slave until it asks again.
        Assert.Null(b.Receive(OskenOracle.Build("role_request_equal")[0], a.Now));
        Assert.Equal(OfpRole.Equal, b.Role);
        Assert.Equal((3, 10UL), Reply(a.Send(OskenOracle.Build("role_request_nochange"))));
        Assert.Equal((2, 10UL), Reply(a.Send(OskenOracle.Build("role_request_master_10"))));
    }
}
