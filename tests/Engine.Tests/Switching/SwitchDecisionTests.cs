using Engine.Actors.Switching;
using Xunit;

namespace Engine.Tests.Switching;

/// <summary>The switch stage's choice per frame: find its VLAN, learn the source there, then forward, flood, filter or drop.</summary>
public class SwitchDecisionTests
{
    private static readonly byte[] HostA = [0x02, 0, 0, 0, 0, 0x0a];
    private static readonly byte[] HostB = [0x02, 0, 0, 0, 0, 0x0b];
    private static readonly byte[] Broadcast = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
    private static readonly byte[] OspfAllRouters = [0x01, 0x00, 0x5e, 0x00, 0x00, 0x05];

    private readonly MacTable _table = new(memberCount: 3, macLimit: 16, ageingTicks: 300);
    private readonly StormControl _storm = new(memberCount: 3, framesPerSecond: 2, ticksPerSecond: 1000);
    private readonly SwitchVlans _vlans = new(memberCount: 3);

    /// <param name="vid">The 802.1Q tag's VLAN id (0: a priority tag), or null for an untagged frame.</param>
    private static byte[] Frame(byte[] destination, byte[] source, int? vid = null)
    {
        byte[] type = vid is { } id ? [0x81, 0x00, (byte)(0xa0 | (id >> 8)), (byte)id, 0x08, 0x00] : [0x08, 0x00];
        return [.. destination, .. source, .. type, .. new byte[46]];
    }

    private SwitchAction Decide(byte[] frame, int ingress, out int egress, long now = 0) => Decide(frame, ingress, out egress, out _, now);

    private SwitchAction Decide(byte[] frame, int ingress, out int egress, out int vlan, long now = 0) =>
        SwitchDecision.Decide(frame, ingress, now, _table, _storm, _vlans, out egress, out _, out vlan);

    private const ulong HostAValue = 0x02_00_00_00_00_0a;

    [Fact]
    public void Unknown_unicast_floods_and_once_the_destination_answers_it_is_forwarded_to_its_port()
    {
        Assert.Equal(SwitchAction.Flood, Decide(Frame(HostB, HostA), ingress: 0, out _));
        Assert.Equal(SwitchAction.Forward, Decide(Frame(HostA, HostB), ingress: 2, out var toA));
        Assert.Equal(0, toA);
        Assert.Equal(SwitchAction.Forward, Decide(Frame(HostB, HostA), ingress: 0, out var toB));
        Assert.Equal(2, toB);
    }

    [Fact]
    public void Broadcast_and_multicast_flood_and_their_sources_are_learned()
    {
        Assert.Equal(SwitchAction.Flood, Decide(Frame(Broadcast, HostA), ingress: 1, out _));
        Assert.Equal(SwitchAction.Flood, Decide(Frame(OspfAllRouters, HostB), ingress: 2, out _));
        Assert.Equal(1, _table.Lookup(1, 0x02_00_00_00_00_0a, 0));
        Assert.Equal(2, _table.Lookup(1, 0x02_00_00_00_00_0b, 0));
    }

    [Fact]
    public void A_frame_for_a_host_on_its_own_ingress_is_filtered()
    {
        Decide(Frame(Broadcast, HostB), ingress: 1, out _);
        Assert.Equal(SwitchAction.Filter, Decide(Frame(HostB, HostA), ingress: 1, out _));
    }

    [Fact]
    public void Broadcast_beyond_the_storm_rate_is_dropped_as_storm_while_unicast_still_passes()
    {
        Decide(Frame(HostA, HostB), ingress: 2, out _);
        Assert.Equal(SwitchAction.Flood, Decide(Frame(Broadcast, HostA), 0, out _));
        Assert.Equal(SwitchAction.Flood, Decide(Frame(Broadcast, HostA), 0, out _));
        Assert.Equal(SwitchAction.Storm, Decide(Frame(Broadcast, HostA), 0, out _));
        Assert.Equal(SwitchAction.Forward, Decide(Frame(HostB, HostA), 0, out _));
        Assert.Equal(1, _storm.Refused(0));
    }

    [Fact]
    public void A_group_source_is_not_learned()
    {
        Decide(Frame(HostA, OspfAllRouters), ingress: 1, out _);
        Assert.Equal(-1, _table.Lookup(1, 0x01_00_5e_00_00_05, 0));
    }

    [Fact]
    public void A_tagged_frame_on_an_access_port_is_dropped_as_vlan_and_learns_nothing()
    {
        Assert.Equal(SwitchAction.Vlan, Decide(Frame(Broadcast, HostB, vid: 10), ingress: 2, out _));
        Assert.Equal(SwitchAction.Vlan, Decide(Frame(Broadcast, HostB, vid: 1), ingress: 2, out _));
        Assert.Equal(0, _table.LearnedOn(2));
    }

    [Fact]
    public void A_priority_tagged_frame_on_an_access_port_is_in_the_ports_vlan()
    {
        _vlans.SetAccess(1, 10);
        Assert.Equal(SwitchAction.Flood, Decide(Frame(Broadcast, HostA, vid: 0), ingress: 1, out _, out var vlan));
        Assert.Equal(10, vlan);
        Assert.Equal(1, _table.Lookup(10, HostAValue, 0));
    }

    [Fact]
    public void A_trunk_takes_its_listed_vids_and_untagged_frames_only_into_its_native_vlan()
    {
        _vlans.SetTrunk(2, [10, 20], native: 0);
        Assert.Equal(SwitchAction.Flood, Decide(Frame(Broadcast, HostA, vid: 20), ingress: 2, out _, out var vlan));
        Assert.Equal(20, vlan);
        Assert.Equal(SwitchAction.Vlan, Decide(Frame(Broadcast, HostA, vid: 30), ingress: 2, out _));
        Assert.Equal(SwitchAction.Vlan, Decide(Frame(Broadcast, HostA), ingress: 2, out _));

        _vlans.SetTrunk(2, [10, 20], native: 1);
        Assert.Equal(SwitchAction.Flood, Decide(Frame(Broadcast, HostA), ingress: 2, out _, out vlan));
        Assert.Equal(1, vlan);
    }

    [Fact]
    public void Learning_and_forwarding_stay_within_the_frames_vlan()
    {
        // Member 0 an access port of VLAN 10, member 1 of VLAN 20, member 2 a trunk of both.
        _vlans.SetAccess(0, 10);
        _vlans.SetAccess(1, 20);
        _vlans.SetTrunk(2, [10, 20], native: 0);
        Decide(Frame(Broadcast, HostA), ingress: 0, out _);

        Assert.Equal(SwitchAction.Forward, Decide(Frame(HostA, HostB, vid: 10), ingress: 2, out var egress));
        Assert.Equal(0, egress);
        // The same address in VLAN 20 is not known: flooded there, never sent into VLAN 10.
        Assert.Equal(SwitchAction.Flood, Decide(Frame(HostA, HostB, vid: 20), ingress: 2, out _, out var vlan));
        Assert.Equal(20, vlan);
        Assert.Equal(-1, _table.Lookup(20, HostAValue, 0));
    }

    [Fact]
    public void A_tagged_frame_shorter_than_its_tagged_header_is_malformed() =>
        Assert.Equal(SwitchAction.Malformed, Decide([.. HostB, .. HostA, 0x81, 0x00, 0x00], ingress: 0, out _));

    [Fact]
    public void Each_member_takes_a_vlan_untagged_tagged_or_not_at_all()
    {
        _vlans.SetAccess(0, 10);
        _vlans.SetTrunk(2, [10, 20], native: 30);

        Assert.Equal(0, _vlans.EgressTag(0, 10));
        Assert.Equal(SwitchVlans.NotCarried, _vlans.EgressTag(0, 20));
        Assert.Equal(0, _vlans.EgressTag(1, SwitchVlans.DefaultVlan));
        Assert.Equal(10, _vlans.EgressTag(2, 10));
        Assert.Equal(20, _vlans.EgressTag(2, 20));
        Assert.Equal(0, _vlans.EgressTag(2, 30));
        Assert.Equal(SwitchVlans.NotCarried, _vlans.EgressTag(2, 1));
    }

    [Fact]
    public void A_frame_shorter_than_an_ethernet_header_is_malformed_and_learns_nothing()
    {
        Assert.Equal(SwitchAction.Malformed, Decide([.. HostB, .. HostA, 0x08], ingress: 0, out _));
        Assert.Equal(0, _table.LearnedOn(0));
    }
}
