using System.Buffers.Binary;
using Engine.Actors.Wire;
using Xunit;

namespace Engine.Tests.Offload;

/// <summary>
/// Packets whose checksum is still pending (NEEDS_CSUM), as a local sender's kernel writes
/// nearly all of them into a tun with offloads, merge as finished ones do: the merged frame is
/// the same, its checksum pending too. Nothing is verified in them, since nothing is final yet.
/// </summary>
public class PendingChecksumCoalescingTests
{
    private static readonly UdpSpec Udp4 = new();
    private static readonly UdpSpec Udp6 = new() { Source = "fd00::1", Destination = "fd00::2" };
    private static readonly TcpSpec Tcp4 = new();
    private static readonly TcpSpec Tcp6 = new() { Source = "2001:db8::1", Destination = "2001:db8::2", Options = TcpSpec.Timestamp(5) };

    [Fact]
    public void Small_udp_datagrams_with_pending_checksums_merge_into_one_super_frame()
    {
        var run = UdpStreams.Datagrams(Udp4, Enumerable.Repeat(64, 16).ToArray());
        var (packets, pending) = Pending(run.Select(d => d.Build()), 17);

        Assert.Equal([UdpStreams.Merged(run)], UdpStreams.Coalesce(packets, pending: pending));
    }

    [Fact]
    public void Ipv6_datagrams_with_pending_checksums_merge()
    {
        var run = UdpStreams.Datagrams(Udp6, 500, 500, 200);
        var (packets, pending) = Pending(run.Select(d => d.Build()), 17);

        Assert.Equal([UdpStreams.Merged(run)], UdpStreams.Coalesce(packets, pending: pending));
    }

    [Fact]
    public void Tcp_segments_with_pending_checksums_merge_into_one_super_frame()
    {
        foreach (var spec in new[] { Tcp4, Tcp6 })
        {
            var run = Streams.Segments(spec, 1000, 1000, 1000, 400);
            var (packets, pending) = Pending(run.Select(s => s.Build()), 6);

            Assert.Equal([Streams.Merged(run, TcpFlags.Ack)], Streams.Coalesce(packets, pending: pending));
        }
    }

    [Fact]
    public void Pending_and_finished_packets_of_one_flow_merge_together()
    {
        var run = UdpStreams.Datagrams(Udp4, 100, 100, 100, 100);
        var (packets, pending) = Pending(run.Select(d => d.Build()), 17);
        packets[1] = run[1].Build();
        pending[1] = null;
        packets[3] = run[3].Build();
        pending[3] = null;

        Assert.Equal([UdpStreams.Merged(run)], UdpStreams.Coalesce(packets, pending: pending));
    }

    [Fact]
    public void A_pending_field_is_not_verified_but_a_final_one_is()
    {
        var run = UdpStreams.Datagrams(Udp4, 100, 100);
        var (packets, pending) = Pending(run.Select(d => d.Build()), 17);
        BinaryPrimitives.WriteUInt16BigEndian(packets[1].AsSpan(20 + 6), 0x1234);

        Assert.Equal([UdpStreams.Merged(run)], UdpStreams.Coalesce(packets, pending: pending));

        pending[1] = null;
        Assert.Equal(2, UdpStreams.Coalesce(packets, pending: pending).Count);
    }

    [Fact]
    public void A_checksum_pending_elsewhere_stands_alone_and_ends_the_open_runs()
    {
        var run = UdpStreams.Datagrams(Udp4, 100, 100, 100, 100, 100);
        var packets = run.Select(d => d.Build()).ToList();
        var pending = new List<(int Start, int Offset)?> { null, null, (20, 0), null, null };

        var outputs = UdpStreams.Coalesce(packets, pending: pending);

        Assert.Equal(3, outputs.Count);
        Assert.Equal(UdpStreams.Merged(run[..2]), outputs[0]);
        Assert.Equal(UdpStreams.Merged(run[3..]), outputs[2]);
        Assert.True(VirtioNetHeader.TryParse(outputs[1], out var header));
        Assert.Equal((VirtioNetFlags.NeedsChecksum, VirtioGsoType.None, 20, 0),
            (header.Flags, header.GsoType, (int)header.ChecksumStart, (int)header.ChecksumOffset));
        Assert.Equal(packets[2], outputs[1][VirtioNetHeader.Length..]);
    }

    [Fact]
    public void A_lone_pending_packet_keeps_its_pending_header()
    {
        var (packets, pending) = Pending([Udp4.Build()], 17);

        byte[] output = Assert.Single(UdpStreams.Coalesce(packets, pending: pending));

        Assert.True(VirtioNetHeader.TryParse(output, out var header));
        Assert.Equal((VirtioNetFlags.NeedsChecksum, VirtioGsoType.None, 20, 6),
            (header.Flags, header.GsoType, (int)header.ChecksumStart, (int)header.ChecksumOffset));
        Assert.Equal(packets[0], output[VirtioNetHeader.Length..]);
    }

    private static (List<byte[]> Packets, List<(int Start, int Offset)?> Pending) Pending(IEnumerable<byte[]> built, byte protocol)
    {
        var packets = new List<byte[]>();
        var pending = new List<(int Start, int Offset)?>();
        foreach (var packet in built)
        {
            var (withPending, at) = Reference.WithPendingChecksum(packet, protocol);
            packets.Add(withPending);
            pending.Add(at);
        }
        return (packets, pending);
    }
}
