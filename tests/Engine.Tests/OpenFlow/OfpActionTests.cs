using System.Buffers.Binary;
using Akka.Actor;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.OpenFlow;
using Xunit;

namespace Engine.Tests.OpenFlow;

/// <summary>
/// The actions that change a frame, as os-ken encodes them, run on frames os-ken's packet library
/// builds: the result must be, byte for byte, the frame os-ken builds with the new fields, every
/// checksum (IPv4's header, TCP's and UDP's over their pseudo-headers) as os-ken computes it.
/// </summary>
public class OfpActionTests
{
    private readonly List<PacketInRequest> _toController = [];
    private readonly PortCounters _own = new();

    private OpenFlowPacketOut PacketOut() => new([], ActorRefs.Nobody, new FrameBatchPool(1, 2048, 1), _toController.Add, _own);

    /// <summary>The actions of an os-ken PACKET_OUT (ofp_packet_out: actions_len at 16, the actions from 24).</summary>
    private static byte[] Actions(string name)
    {
        var message = OskenOracle.Build(name)[0];
        return message.AsSpan(24, BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(16))).ToArray();
    }

    private byte[]? Run(string actions, string frame) =>
        PacketOut().Apply(OfpPortNumbers.Controller, Actions(actions), OskenOracle.Build(frame)[0], OfpPacketInReason.Action, 0, new SessionHarness().Info);

    [Theory]
    [InlineData("rewrite_udp4", "udp4", "udp4_rewritten")] // IPv4 addresses, UDP ports, TTL
    [InlineData("rewrite_tcp6", "tcp6", "tcp6_rewritten")] // IPv6 addresses, TCP ports, hop limit
    [InlineData("rewrite_tcp4", "tcp4", "tcp4_rewritten")] // Ethernet addresses, VLAN id behind the tag, IPv4 destination, TCP port
    [InlineData("push_vlan_30", "udp4", "udp4_tagged")]
    [InlineData("pop_vlan", "udp4_tagged", "udp4")]
    public void Set_field_push_pop_and_dec_ttl_give_the_frame_os_ken_builds_checksums_and_all(string actions, string before, string after)
    {
        Assert.Equal(Convert.ToHexString(OskenOracle.Build(after)[0]), Convert.ToHexString(Run(actions, before)!));
        Assert.Empty(_toController);
    }

    [Theory]
    [InlineData("set_config_invalid_ttl")] // OpenFlow 1.1's and 1.2's way
    [InlineData("set_async_invalid_ttl")] // 1.3's
    public void A_ttl_that_would_reach_0_drops_the_frame_counted_and_offers_it_as_invalid_ttl_to_a_controller_that_asked(string asks)
    {
        Assert.Null(Run("dec_ttl", "udp4_ttl1"));
        Assert.Equal(1, _own.Drops(DropReason.TtlExpired));
        var request = Assert.Single(_toController);
        Assert.Equal(OfpPacketInReason.InvalidTtl, request.Reason);

        // Only a controller that asked gets it (the spec's default leaves INVALID_TTL out), cut to miss_send_len.
        var harness = new SessionHarness();
        harness.Session.SendPacketIn(request);
        Assert.Empty(harness.Take());
        Assert.Empty(harness.Send(OskenOracle.Build(asks)));
        harness.Session.SendPacketIn(request);
        var (name, packetIn) = OskenOracle.Parse(harness.Take()).Single();
        Assert.Equal("OFPPacketIn", name);
        Assert.Equal(2, packetIn.GetProperty("reason").GetInt32());
        Assert.Equal(Convert.ToBase64String(OskenOracle.Build("udp4_ttl1")[0]), packetIn.GetProperty("data").GetString());
    }

    [Fact]
    public void Get_async_reports_the_specs_defaults_and_then_what_set_async_set()
    {
        var harness = new SessionHarness();
        var before = OskenOracle.Parse(harness.Send(OskenOracle.Build("get_async_request"))).Single();
        Assert.Equal("OFPGetAsyncReply", before.Class);
        Assert.Equal([3, 0], before.Fields.GetProperty("packet_in_mask").EnumerateArray().Select(m => m.GetInt32()));
        Assert.Equal([15, 0], before.Fields.GetProperty("flow_removed_mask").EnumerateArray().Select(m => m.GetInt32()));

        var after = OskenOracle.Parse(harness.Send(OskenOracle.Build("set_async_invalid_ttl", "get_async_request"))).Single();
        Assert.Equal([7, 0], after.Fields.GetProperty("packet_in_mask").EnumerateArray().Select(m => m.GetInt32()));
    }
}
