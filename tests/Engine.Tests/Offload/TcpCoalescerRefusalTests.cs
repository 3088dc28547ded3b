using System.Buffers.Binary;
using Engine.Actors.Offload;
using Engine.Actors.Wire;
using Engine.Tests.Wire;
using Xunit;
using static Engine.Tests.Offload.Streams;

namespace Engine.Tests.Offload;

/// <summary>
/// One rule per test: a pair of segments that merges, changed in one respect, must not. Each
/// test checks the rule that fired and that the coalescer then keeps the two packets apart.
/// </summary>
public class TcpCoalescerRefusalTests
{
    private static readonly TcpSpec V4 = new() { Options = TcpSpec.Timestamp(7) };
    private static readonly TcpSpec V6 = new() { Source = "2001:db8::1", Destination = "2001:db8::2", FlowLabel = 0x1234, TrafficClass = 0x10 };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_unchanged_pair_merges(bool ipv6)
    {
        var (first, second) = Pair(ipv6 ? V6 : V4);
        Assert.Equal(TcpMergeRefusal.None, TcpMergeCandidate.Pair(first.Build(), second.Build()));
        Assert.Single(Coalesce([first, second]));
    }

    [Fact]
    public void Another_source_address() => Refused(TcpMergeRefusal.DifferentFlow, V4, s => s with { Source = "10.0.0.9" });

    [Fact]
    public void Another_destination_address() => Refused(TcpMergeRefusal.DifferentFlow, V6, s => s with { Destination = "2001:db8::9" });

    [Fact]
    public void Another_source_port() => Refused(TcpMergeRefusal.DifferentFlow, V4, s => s with { SourcePort = 40001 });

    [Fact]
    public void Another_destination_port() => Refused(TcpMergeRefusal.DifferentFlow, V4, s => s with { DestinationPort = 5202 });

    [Fact]
    public void Another_ip_version() =>
        Refused(TcpMergeRefusal.DifferentFlow, V4, s => s with { Source = "::ffff:10.0.0.1", Destination = "::ffff:10.0.0.2" });

    [Fact]
    public void Another_ttl() => Refused(TcpMergeRefusal.TtlOrHopLimit, V4, s => s with { Ttl = 63 });

    [Fact]
    public void Another_hop_limit() => Refused(TcpMergeRefusal.TtlOrHopLimit, V6, s => s with { Ttl = 63 });

    [Fact]
    public void Another_type_of_service() => Refused(TcpMergeRefusal.TypeOfService, V4, s => s with { TrafficClass = 0x02 });

    [Fact]
    public void Another_traffic_class() => Refused(TcpMergeRefusal.TypeOfService, V6, s => s with { TrafficClass = 0x11 });

    [Fact]
    public void Another_flow_label() => Refused(TcpMergeRefusal.FlowLabel, V6, s => s with { FlowLabel = 0x1235 });

    [Fact]
    public void Another_dont_fragment_flag() => Refused(TcpMergeRefusal.DontFragment, V4, s => s with { DontFragment = false });

    [Fact]
    public void An_ip_id_that_does_not_run_on_without_df() =>
        Refused(TcpMergeRefusal.Identification, V4 with { DontFragment = false }, s => s with { Id = (ushort)(s.Id + 1) });

    [Fact]
    public void With_df_the_ip_id_does_not_matter()
    {
        var (first, second) = Pair(V4);
        Assert.Equal(TcpMergeRefusal.None, TcpMergeCandidate.Pair(first.Build(), (second with { Id = 0x4242 }).Build()));
    }

    [Fact]
    public void Ip_options() => Refused(TcpMergeRefusal.IpOptions, V4, s => s with { IpOptions = [1, 1, 1, 0] });

    [Fact]
    public void An_ip_fragment() =>
        RefusedPackets(TcpMergeRefusal.Fragment, V4, p => Mutated(p, b => b[6] |= 0x20));

    [Fact]
    public void Other_tcp_options() => Refused(TcpMergeRefusal.TcpOptions, V4, s => s with { Options = TcpSpec.Timestamp(8) });

    [Fact]
    public void Tcp_options_of_another_length() => Refused(TcpMergeRefusal.TcpOptions, V4, s => s with { Options = [] });

    [Fact]
    public void A_gap_in_the_sequence() => Refused(TcpMergeRefusal.Sequence, V4, s => s with { Sequence = s.Sequence + 1 });

    [Fact]
    public void A_retransmission() => Refused(TcpMergeRefusal.Sequence, V4, s => s with { Sequence = s.Sequence - 1000 });

    [Fact]
    public void Another_acknowledgment_number() => Refused(TcpMergeRefusal.Acknowledgment, V4, s => s with { Acknowledgment = s.Acknowledgment + 1 });

    [Fact]
    public void Another_window() => Refused(TcpMergeRefusal.Window, V4, s => s with { Window = 503 });

    [Theory]
    [InlineData(TcpFlags.Ack | TcpFlags.Syn)]
    [InlineData(TcpFlags.Ack | TcpFlags.Fin)]
    [InlineData(TcpFlags.Ack | TcpFlags.Rst)]
    [InlineData(TcpFlags.Ack | TcpFlags.Urg)]
    [InlineData(TcpFlags.Ack | TcpFlags.Ece)]
    [InlineData(TcpFlags.Ack | TcpFlags.Cwr)]
    [InlineData(TcpFlags.Psh)]
    public void A_flag_other_than_ack_and_psh(TcpFlags flags) => Refused(TcpMergeRefusal.Flags, V4, s => s with { Flags = flags });

    [Fact]
    public void A_first_segment_with_a_flag_other_than_ack_and_psh_starts_nothing()
    {
        var (first, second) = Pair(V4);
        var syn = first with { Flags = TcpFlags.Ack | TcpFlags.Syn };
        Assert.Equal(TcpMergeRefusal.Flags, TcpMergeCandidate.Pair(syn.Build(), second.Build()));
        Assert.Equal(2, Coalesce([syn, second]).Count);
    }

    [Fact]
    public void A_segment_without_payload() => Refused(TcpMergeRefusal.NoPayload, V4, s => s with { Payload = [] });

    [Fact]
    public void A_segment_larger_than_the_first() =>
        Refused(TcpMergeRefusal.SegmentSize, V4, s => s with { Payload = Packets.Pattern(1001) });

    [Fact]
    public void A_bad_checksum_on_the_second_segment() =>
        RefusedPackets(TcpMergeRefusal.BadChecksum, V6, p => { p[^1] ^= 1; return p; });

    [Fact]
    public void A_bad_checksum_on_the_first_segment()
    {
        var (first, second) = Pair(V4);
        byte[] corrupt = first.Build();
        corrupt[^1] ^= 1;
        Assert.Equal(TcpMergeRefusal.BadChecksum, TcpMergeCandidate.Pair(corrupt, second.Build()));
        Assert.Equal(2, Coalesce([corrupt, second.Build()]).Count);
    }

    [Fact]
    public void Psh_on_the_first_segment()
    {
        var (first, second) = Pair(V4);
        var pushed = first with { Flags = TcpFlags.Ack | TcpFlags.Psh };
        Assert.Equal(TcpMergeRefusal.Pushed, TcpMergeCandidate.Pair(pushed.Build(), second.Build()));
        Assert.Equal(2, Coalesce([pushed, second]).Count);
    }

    [Fact]
    public void A_merged_packet_past_the_length_limit()
    {
        var (first, second) = Pair(V4);
        int both = first.Build().Length + second.Payload.Length;
        Assert.Equal(TcpMergeRefusal.None, TcpMergeCandidate.Pair(first.Build(), second.Build(), maxLength: both));
        Assert.Equal(TcpMergeRefusal.TooLarge, TcpMergeCandidate.Pair(first.Build(), second.Build(), maxLength: both - 1));
    }

    private static (TcpSpec First, TcpSpec Second) Pair(TcpSpec spec)
    {
        var run = Segments(spec, 1000, 1000);
        return (run[0], run[1]);
    }

    private static void Refused(TcpMergeRefusal expected, TcpSpec spec, Func<TcpSpec, TcpSpec> change)
    {
        var (first, second) = Pair(spec);
        RefusedPair(expected, first.Build(), change(second).Build());
    }

    private static void RefusedPackets(TcpMergeRefusal expected, TcpSpec spec, Func<byte[], byte[]> change)
    {
        var (first, second) = Pair(spec);
        RefusedPair(expected, first.Build(), change(second.Build()));
    }

    private static void RefusedPair(TcpMergeRefusal expected, byte[] first, byte[] second)
    {
        Assert.Equal(expected, TcpMergeCandidate.Pair(first, second));
        Assert.Equal([Unmerged(first), Unmerged(second)], Coalesce([first, second]));
    }
}
