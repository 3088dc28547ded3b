using System.Buffers.Binary;
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

    /// <summary>A message of <paramref name="type"/> with a zeroed body of <paramref name="bodyLength"/> bytes.</summary>
    private static byte[] Message(OfpType type, int bodyLength, uint xid = 5)
    {
        var message = new byte[OfpHeader.Size + bodyLength];
        message[0] = OfpHeader.Version13;
        message[1] = (byte)type;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), (ushort)message.Length);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(4), xid);
        return message;
    }

    private static byte[] RoleRequest(OfpRole role, ulong generation)
    {
        var message = Message(OfpType.RoleRequest, 16);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(8), (uint)role);
        BinaryPrimitives.WriteUInt64BigEndian(message.AsSpan(16), generation);
        return message;
    }

    private static (int Type, int Code) Error(byte[][] replies)
    {
        var reply = Assert.Single(replies);
        Assert.Equal((byte)OfpType.Error, reply[1]);
        return (BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(8)), BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(10)));
    }

    [Fact]
    public void A_slave_is_refused_every_message_that_changes_the_switch_with_is_slave_and_may_still_read()
    {
        var slave = new SessionHarness();
        Assert.Equal(3, Reply(slave.Send(RoleRequest(OfpRole.Slave, 1))).Role);

        // PORT_MOD (40 bytes), TABLE_MOD (16), METER_MOD (16), and a TABLE_FEATURES request that sets features (a body):
        // BAD_REQUEST/IS_SLAVE, before whatever else the switch would say of them (spec section 6.3.7).
        var tableFeaturesSet = Message(OfpType.MultipartRequest, 8 + 64);
        tableFeaturesSet[9] = 12; // OFPMP_TABLE_FEATURES
        foreach (var message in new[] { Message(OfpType.PortMod, 32), Message(OfpType.TableMod, 8), Message(OfpType.MeterMod, 8), tableFeaturesSet })
            Assert.Equal((1, 10), Error(slave.Send(message)));

        // Reading is a slave's right: DESC is answered, and TABLE_FEATURES without a body is only unsupported (BAD_MULTIPART).
        var desc = Message(OfpType.MultipartRequest, 8);
        Assert.Equal((byte)OfpType.MultipartReply, Assert.Single(slave.Send(desc))[1]);
        var tableFeaturesGet = Message(OfpType.MultipartRequest, 8);
        tableFeaturesGet[9] = 12;
        Assert.Equal((1, 2), Error(slave.Send(tableFeaturesGet)));
    }

    [Fact]
    public void A_generation_id_that_wrapped_around_is_newer_not_stale()
    {
        var harness = new SessionHarness();
        Assert.Equal(ulong.MaxValue - 1, Reply(harness.Send(RoleRequest(OfpRole.Master, ulong.MaxValue - 1))).Generation);
        // 1 is 3 past 2^64 - 2 by the spec's signed distance: accepted.
        Assert.Equal((2, 1UL), Reply(harness.Send(RoleRequest(OfpRole.Master, 1))));
        // And 2^64 - 2 is now 3 behind: stale.
        Assert.Equal((11, 0), Error(harness.Send(RoleRequest(OfpRole.Slave, ulong.MaxValue - 1))));
    }

    [Fact]
    public void A_slave_gets_port_status_by_default_and_packet_in_only_when_its_set_async_asks()
    {
        var slave = new SessionHarness();
        slave.Send(RoleRequest(OfpRole.Slave, 1));

        slave.Session.SendPortStatus(slave.Ports[2], OfpPortReason.Modify);
        slave.Session.SendPacketIn(new PacketInRequest(OfpPacketInReason.NoMatch, 1, 0, new byte[60], OfpPortNumbers.ControllerNoBuffer));
        Assert.Equal([(byte)OfpType.PortStatus], slave.Take().Select(message => message[1]));

        // SET_ASYNC: the slave's PACKET_IN mask takes NO_MATCH, its PORT_STATUS mask nothing; the master's masks do not matter to it.
        var setAsync = Message(OfpType.SetAsync, 24);
        BinaryPrimitives.WriteUInt32BigEndian(setAsync.AsSpan(8), 0);
        BinaryPrimitives.WriteUInt32BigEndian(setAsync.AsSpan(12), 1u << (int)OfpPacketInReason.NoMatch);
        BinaryPrimitives.WriteUInt32BigEndian(setAsync.AsSpan(16), 0b111);
        BinaryPrimitives.WriteUInt32BigEndian(setAsync.AsSpan(20), 0);
        Assert.Empty(slave.Send(setAsync));

        slave.Session.SendPortStatus(slave.Ports[2], OfpPortReason.Modify);
        slave.Session.SendPacketIn(new PacketInRequest(OfpPacketInReason.NoMatch, 1, 0, new byte[60], OfpPortNumbers.ControllerNoBuffer));
        slave.Session.SendPacketIn(new PacketInRequest(OfpPacketInReason.Action, 1, 0, new byte[60], OfpPortNumbers.ControllerNoBuffer));
        Assert.Equal([(byte)OfpType.PacketIn], slave.Take().Select(message => message[1]));
    }
}
