using System.Buffers.Binary;
using CsCheck;
using Engine.Actors.OpenFlow;
using Xunit;

namespace Engine.Tests.OpenFlow;

/// <summary>
/// What a broken or hostile controller sends: a short header waits for more, a length that lies
/// closes the connection, everything else is answered with the ERROR the spec names, and
/// nothing throws.
/// </summary>
public class OfpHostileInputTests
{
    private static byte[] Message(byte type, int bodyLength, byte version = OfpHeader.Version13, uint xid = 77)
    {
        var message = new byte[OfpHeader.Size + bodyLength];
        message[0] = version;
        message[1] = type;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), (ushort)message.Length);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(4), xid);
        return message;
    }

    private static (ushort Type, ushort Code, uint Xid) Error(byte[] reply)
    {
        Assert.Equal((byte)OfpType.Error, reply[1]);
        return (BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(8)), BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(10)),
            BinaryPrimitives.ReadUInt32BigEndian(reply.AsSpan(4)));
    }

    [Fact]
    public void A_short_header_waits_for_more_and_a_length_below_the_header_is_a_lie()
    {
        Assert.Equal(OfpSplit.NeedMore, OfpStreamSplitter.Next([0x04, 0x00, 0x00], out _));
        Assert.Equal(OfpSplit.NeedMore, OfpStreamSplitter.Next([0x04, 0x00, 0x00, 0x10, 0, 0, 0, 1, 0], out var wanted));
        Assert.Equal(16, wanted);
        Assert.Equal(OfpSplit.LyingLength, OfpStreamSplitter.Next([0x04, 0x00, 0x00, 0x07, 0, 0, 0, 1], out _));
        Assert.Equal(OfpSplit.LyingLength, OfpStreamSplitter.Next([0x04, 0x00, 0x00, 0x00, 0, 0, 0, 1], out _));
    }

    [Fact]
    public void A_controller_of_1_0_only_gets_hello_failed_and_the_channel_closes()
    {
        var harness = new SessionHarness(negotiate: false);
        var reason = harness.Session.Receive(Message((byte)OfpType.Hello, 0, version: 0x01), harness.Now);

        Assert.Contains("no OpenFlow 1.3", reason);
        Assert.Equal((0, 0, 77u), Error(harness.Take().Single()));
    }

    [Fact]
    public void A_hello_whose_bitmap_lacks_1_3_fails_even_in_a_later_version()
    {
        var harness = new SessionHarness(negotiate: false);
        var hello = Message((byte)OfpType.Hello, 8, version: 0x05);
        BinaryPrimitives.WriteUInt16BigEndian(hello.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt16BigEndian(hello.AsSpan(10), 8);
        BinaryPrimitives.WriteUInt32BigEndian(hello.AsSpan(12), 1u << 5 | 1u << 1);

        Assert.Contains("no OpenFlow 1.3 (its HELLO is version 0x05)", harness.Session.Receive(hello, harness.Now));
        // A 1.4 controller without 1.3 hears HELLO_FAILED/INCOMPATIBLE with its HELLO's xid.
        Assert.Equal((0, 0, 77u), Error(harness.Take().Single()));
        BinaryPrimitives.WriteUInt32BigEndian(hello.AsSpan(12), 1u << 5 | 1u << 4);
        var again = new SessionHarness(negotiate: false);
        Assert.Null(again.Session.Receive(hello, again.Now));
        Assert.True(again.Session.Negotiated);
    }

    [Theory]
    [InlineData(200, 0, 1, 1)] // unknown type: BAD_REQUEST, BAD_TYPE
    [InlineData((byte)OfpType.FeaturesReply, 24, 1, 1)] // a switch-to-controller message: BAD_TYPE
    [InlineData((byte)OfpType.FeaturesRequest, 4, 1, 6)] // a body where none belongs: BAD_LEN
    [InlineData((byte)OfpType.SetConfig, 2, 1, 6)] // SET_CONFIG is 12 bytes: BAD_LEN
    [InlineData((byte)OfpType.FlowMod, 20, 1, 6)] // shorter than a FLOW_MOD: BAD_LEN
    [InlineData((byte)OfpType.MultipartRequest, 4, 1, 6)] // shorter than a multipart header: BAD_LEN
    [InlineData((byte)OfpType.PacketOut, 8, 1, 6)]
    [InlineData((byte)OfpType.RoleRequest, 8, 1, 6)]
    [InlineData((byte)OfpType.Experimenter, 8, 1, 3)] // BAD_EXPERIMENTER
    public void Each_bad_message_gets_its_error_with_its_xid_and_the_channel_stays(byte type, int body, int errorType, int errorCode)
    {
        var harness = new SessionHarness();
        var reply = harness.Send(Message(type, body)).Single();

        Assert.Equal(((ushort)errorType, (ushort)errorCode, 77u), Error(reply));
        Assert.Equal((byte)OfpType.EchoReply, harness.Send(Message((byte)OfpType.EchoRequest, 0)).Single()[1]);
    }

    [Fact]
    public void Another_version_after_negotiation_is_bad_version()
    {
        var harness = new SessionHarness();
        Assert.Equal((1, 0, 77u), Error(harness.Send(Message((byte)OfpType.EchoRequest, 0, version: 0x01)).Single()));
    }

    [Fact]
    public void A_match_whose_length_runs_past_the_message_is_bad_match_length()
    {
        var harness = new SessionHarness();
        var flowMod = Message((byte)OfpType.FlowMod, OfpFlowMod.FixedSize - OfpHeader.Size + 8);
        BinaryPrimitives.WriteUInt32BigEndian(flowMod.AsSpan(32), OfpPortNumbers.NoBuffer);
        BinaryPrimitives.WriteUInt16BigEndian(flowMod.AsSpan(48), 1);
        BinaryPrimitives.WriteUInt16BigEndian(flowMod.AsSpan(50), 200);

        Assert.Equal((4, 1, 77u), Error(harness.Send(flowMod).Single()));
    }

    [Fact]
    public void A_flow_beyond_the_tables_capacity_is_table_full_and_an_overlap_is_refused_when_checked()
    {
        var harness = new SessionHarness(capacity: 2);
        var adds = OskenOracle.Build("flow_add_tcp", "flow_add_mac", "flow_add_miss");
        Assert.Empty(harness.Send(adds[0], adds[1]));
        Assert.Equal((5, 1, 0x100fu + 2), Error(harness.Send(adds[2]).Single()));
        // The same flow again replaces it, full table or not.
        Assert.Empty(harness.Send(adds[0]));

    }

    [Fact]
    public void An_overlapping_flow_of_the_same_priority_is_refused_when_checked_and_an_identical_one_replaces()
    {
        var harness = new SessionHarness();
        var (miss, overlapping) = (OskenOracle.Build("flow_add_miss")[0], OskenOracle.Build("flow_add_overlap")[0]);
        Assert.Empty(harness.Send(miss));

        Assert.Equal((ushort)3, Error(harness.Send(overlapping).Single()).Code); // FLOW_MOD_FAILED, OVERLAP
        var checkedMiss = (byte[])miss.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(checkedMiss.AsSpan(44), OpenFlowFlow.CheckOverlap);
        Assert.Empty(harness.Send(checkedMiss));
        Assert.Single(harness.Table.Flows);
    }

    [Fact]
    public void Random_bytes_after_negotiation_never_throw_and_every_answer_is_a_whole_message()
    {
        Gen.Byte.Array[0, 200].Sample(body =>
        {
            var harness = new SessionHarness();
            var message = new byte[OfpHeader.Size + body.Length];
            body.CopyTo(message, OfpHeader.Size);
            message[0] = OfpHeader.Version13;
            message[1] = body.Length > 0 ? (byte)(body[0] % 32) : (byte)0;
            BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), (ushort)message.Length);
            harness.Session.Receive(message, harness.Now);
            harness.Take();
        }, iter: 2000);
    }
}
