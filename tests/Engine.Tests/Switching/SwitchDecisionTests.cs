using Engine.Actors.Switching;
using Xunit;

namespace Engine.Tests.Switching;

/// <summary>The switch stage's choice per frame: learn the source, then forward, flood, filter or drop.</summary>
public class SwitchDecisionTests
{
    private static readonly byte[] HostA = [0x02, 0, 0, 0, 0, 0x0a];
    private static readonly byte[] HostB = [0x02, 0, 0, 0, 0, 0x0b];
    private static readonly byte[] Broadcast = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
    private static readonly byte[] OspfAllRouters = [0x01, 0x00, 0x5e, 0x00, 0x00, 0x05];

    private readonly MacTable _table = new(memberCount: 3, macLimit: 16, ageingTicks: 300);
    private readonly StormControl _storm = new(memberCount: 3, framesPerSecond: 2, ticksPerSecond: 1000);

    private static byte[] Frame(byte[] destination, byte[] source, bool vlanTagged = false)
    {
        byte[] type = vlanTagged ? [0x81, 0x00, 0x00, 0x0a, 0x08, 0x00] : [0x08, 0x00];
        return [.. destination, .. source, .. type, .. new byte[46]];
    }

    private SwitchAction Decide(byte[] frame, int ingress, out int egress, long now = 0) =>
        SwitchDecision.Decide(frame, ingress, now, _table, _storm, out egress, out _);

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
        Assert.Equal(1, _table.Lookup(0x02_00_00_00_00_0a, 0));
        Assert.Equal(2, _table.Lookup(0x02_00_00_00_00_0b, 0));
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
        Assert.Equal(-1, _table.Lookup(0x01_00_5e_00_00_05, 0));
    }

    [Fact]
    public void A_vlan_tagged_frame_is_switched_on_its_addresses_alone()
    {
        Decide(Frame(Broadcast, HostB, vlanTagged: true), ingress: 2, out _);
        Assert.Equal(SwitchAction.Forward, Decide(Frame(HostB, HostA, vlanTagged: true), ingress: 0, out var egress));
        Assert.Equal(2, egress);
    }

    [Fact]
    public void A_frame_shorter_than_an_ethernet_header_is_malformed_and_learns_nothing()
    {
        Assert.Equal(SwitchAction.Malformed, Decide([.. HostB, .. HostA, 0x08], ingress: 0, out _));
        Assert.Equal(0, _table.LearnedOn(0));
    }
}
