using Engine.Actors.Offload;
using Engine.Tests.Wire;
using Xunit;
using static Engine.Tests.Offload.UdpStreams;

namespace Engine.Tests.Offload;

/// <summary>
/// One rule per test: a pair of datagrams that merges, changed in one respect, must not. Each
/// test checks the rule that fired and that the coalescer then keeps the two packets apart.
/// </summary>
public class UdpCoalescerRefusalTests
{
    private static readonly UdpSpec V4 = new() { Payload = Packets.Pattern(1000) };
    private static readonly UdpSpec V4Df = V4 with { DontFragment = true };
    private static readonly UdpSpec V6 = new() { Source = "2001:db8::1", Destination = "2001:db8::2", FlowLabel = 0x1234, TrafficClass = 0x10 };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_unchanged_pair_merges(bool ipv6)
    {
        var (first, second) = Pair(ipv6 ? V6 : V4);
        Assert.Equal(UdpMergeRefusal.None, UdpMergeCandidate.Pair(first.Build(), second.Build()));
        Assert.Single(Coalesce([first, second]));
    }

    [Fact]
    public void Another_source_address() => Refused(UdpMergeRefusal.DifferentFlow, V4, s => s with { Source = "10.0.0.9" });

    [Fact]
    public void Another_destination_address() => Refused(UdpMergeRefusal.DifferentFlow, V6, s => s with { Destination = "2001:db8::9" });

    [Fact]
    public void Another_source_port() => Refused(UdpMergeRefusal.DifferentFlow, V4, s => s with { SourcePort = 4600 });

    [Fact]
    public void Another_destination_port() => Refused(UdpMergeRefusal.DifferentFlow, V6, s => s with { DestinationPort = 4600 });

    [Fact]
    public void Another_ip_version() =>
        Refused(UdpMergeRefusal.DifferentFlow, V4, s => s with { Source = "::ffff:10.0.0.1", Destination = "::ffff:10.0.0.2" });

    [Fact]
    public void Tcp_is_another_flow()
    {
        var (first, _) = Pair(V4);
        var tcp = new TcpSpec { Source = first.Source, Destination = first.Destination, SourcePort = first.SourcePort, DestinationPort = first.DestinationPort };
        RefusedPair(UdpMergeRefusal.DifferentFlow, first.Build(), tcp.Build());
    }

    [Fact]
    public void Another_ttl() => Refused(UdpMergeRefusal.TtlOrHopLimit, V4, s => s with { Ttl = 63 });

    [Fact]
    public void Another_hop_limit() => Refused(UdpMergeRefusal.TtlOrHopLimit, V6, s => s with { Ttl = 63 });

    [Fact]
    public void Another_type_of_service() => Refused(UdpMergeRefusal.TypeOfService, V4, s => s with { TrafficClass = 0x02 });

    [Fact]
    public void Another_traffic_class() => Refused(UdpMergeRefusal.TypeOfService, V6, s => s with { TrafficClass = 0x11 });

    [Fact]
    public void Another_flow_label() => Refused(UdpMergeRefusal.FlowLabel, V6, s => s with { FlowLabel = 0x1235 });

    [Fact]
    public void Another_dont_fragment_flag() => Refused(UdpMergeRefusal.DontFragment, V4Df, s => s with { DontFragment = false });

    [Fact]
    public void An_ip_id_that_does_not_run_on_without_df() =>
        Refused(UdpMergeRefusal.Identification, V4, s => s with { Id = (ushort)(s.Id + 1) });

    [Fact]
    public void With_df_the_ip_id_does_not_matter()
    {
        var (first, second) = Pair(V4Df);
        Assert.Equal(UdpMergeRefusal.None, UdpMergeCandidate.Pair(first.Build(), (second with { Id = 0x4242 }).Build()));
    }

    [Fact]
    public void Ip_options() => Refused(UdpMergeRefusal.IpOptions, V4, s => s with { IpOptions = [1, 1, 1, 0] });

    [Fact]
    public void An_ip_fragment() =>
        RefusedPackets(UdpMergeRefusal.Fragment, V4, p => Streams.Mutated(p, b => b[6] |= 0x20));

    [Fact]
    public void A_later_fragment_closes_the_open_run()
    {
        var run = Datagrams(V4, 1000, 1000, 1000);
        byte[] later = Streams.Mutated(run[0].Build(), b => b[7] = 0x10);
        var outputs = Coalesce([run[0].Build(), later, run[1].Build(), run[2].Build()]);

        Assert.Equal([Streams.Unmerged(run[0].Build()), Streams.Unmerged(later), Merged([run[1], run[2]])], outputs);
    }

    [Fact]
    public void An_ipv6_extension_header()
    {
        var (first, second) = Pair(V6);
        byte[] plain = second.Build();
        // A hop-by-hop header (8 bytes of padding) in front of the UDP header.
        byte[] hopByHop = [.. plain[..40], 17, 0, 1, 4, 0, 0, 0, 0, .. plain[40..]];
        hopByHop[6] = 0;
        hopByHop[5] += 8;
        RefusedPair(UdpMergeRefusal.DifferentFlow, first.Build(), hopByHop);
    }

    [Fact]
    public void A_udp_length_that_disagrees_with_the_ip_length() =>
        RefusedPackets(UdpMergeRefusal.Length, V4, p => { p[25] -= 1; return p; });

    [Fact]
    public void A_datagram_without_payload() => Refused(UdpMergeRefusal.NoPayload, V4, s => s with { Payload = [] });

    [Fact]
    public void A_datagram_larger_than_the_first() =>
        Refused(UdpMergeRefusal.SegmentSize, V4, s => s with { Payload = Packets.Pattern(1001) });

    [Fact]
    public void A_datagram_without_a_checksum() =>
        RefusedPackets(UdpMergeRefusal.NoChecksum, V4, p => { p[26] = 0; p[27] = 0; return p; });

    [Fact]
    public void A_first_datagram_without_a_checksum_starts_nothing()
    {
        var (first, second) = Pair(V4);
        byte[] none = first.Build();
        none[26] = 0;
        none[27] = 0;
        RefusedPair(UdpMergeRefusal.NoChecksum, none, second.Build());
    }

    [Fact]
    public void A_bad_checksum_on_the_second_datagram() =>
        RefusedPackets(UdpMergeRefusal.BadChecksum, V6, p => { p[^1] ^= 1; return p; });

    [Fact]
    public void A_bad_checksum_on_the_first_datagram()
    {
        var (first, second) = Pair(V4);
        byte[] corrupt = first.Build();
        corrupt[^1] ^= 1;
        RefusedPair(UdpMergeRefusal.BadChecksum, corrupt, second.Build());
    }

    [Fact]
    public void A_merged_packet_past_the_length_limit()
    {
        var (first, second) = Pair(V4);
        int both = first.Build().Length + second.Payload.Length;
        Assert.Equal(UdpMergeRefusal.None, UdpMergeCandidate.Pair(first.Build(), second.Build(), maxLength: both));
        Assert.Equal(UdpMergeRefusal.TooLarge, UdpMergeCandidate.Pair(first.Build(), second.Build(), maxLength: both - 1));
        Assert.Equal(2, Coalesce([first.Build(), second.Build()], new UdpCoalescer(both - 1)).Count);
    }

    private static (UdpSpec First, UdpSpec Second) Pair(UdpSpec spec)
    {
        var run = Datagrams(spec, 1000, 1000);
        return (run[0], run[1]);
    }

    private static void Refused(UdpMergeRefusal expected, UdpSpec spec, Func<UdpSpec, UdpSpec> change)
    {
        var (first, second) = Pair(spec);
        RefusedPair(expected, first.Build(), change(second).Build());
    }

    private static void RefusedPackets(UdpMergeRefusal expected, UdpSpec spec, Func<byte[], byte[]> change)
    {
        var (first, second) = Pair(spec);
        RefusedPair(expected, first.Build(), change(second.Build()));
    }

    private static void RefusedPair(UdpMergeRefusal expected, byte[] first, byte[] second)
    {
        Assert.Equal(expected, UdpMergeCandidate.Pair(first, second));
        Assert.Equal([Streams.Unmerged(first), Streams.Unmerged(second)], Coalesce([first, second]));
    }
}
