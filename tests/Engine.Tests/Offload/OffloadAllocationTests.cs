using Engine.Actors.Offload;
using Engine.Actors.Wire;
using Engine.Tests.Wire;
using Xunit;

namespace Engine.Tests.Offload;

/// <summary>
/// The offload work on the data path allocates nothing once warm: a super-frame validated and
/// cut into packets, and the packets merged back, as a tun read and a tun write would.
/// </summary>
public class OffloadAllocationTests
{
    private const int SlotSize = 1600;
    private const int Slots = 64;

    private readonly byte[] _space = new byte[Slots * SlotSize];
    private readonly int[] _lengths = new int[Slots];
    private readonly byte[] _destination = new byte[VirtioNetHeader.Length + TcpCoalescer.MaxIpLength];

    /// <summary>Packets written into fixed slots of one array, read back as a batch.</summary>
    private readonly struct SlotFrames(byte[] space, int[] lengths, int count) : IFrameList
    {
        public int Count => count;

        public ReadOnlySpan<byte> Frame(int index) => space.AsSpan(index * SlotSize, lengths[index]);

        public bool TryGetPendingChecksum(int index, out int start, out int offset)
        {
            (start, offset) = (0, 0);
            return false;
        }
    }

    [Fact]
    public void Validating_segmenting_completing_and_coalescing_allocate_nothing()
    {
        var spec = new TcpSpec { Options = TcpSpec.Timestamp(3), Payload = Packets.Pattern(40 * 1448) };
        byte[] superFrame = Reference.SuperFrame(spec.Build(), VirtioGsoType.TcpV4, 1448, 6);
        byte[] plain = Reference.SuperFrame(new TcpSpec { Source = "fd00::1", Destination = "fd00::2" }.Build(), VirtioGsoType.None, 0, 6);
        var coalescer = new TcpCoalescer();
        long Run() => Complete(plain) + SegmentAndMerge(superFrame, coalescer);

        var (allocated, result) = SteadyState.Measure(Run);

        Assert.Equal(0, allocated);
        Assert.Equal(1 + superFrame.Length + 40, result);
        Assert.Equal(superFrame, _destination[..superFrame.Length]);
    }

    [Fact]
    public void Coalescing_udp_allocates_nothing()
    {
        var spec = new UdpSpec { Source = "fd00::1", Destination = "fd00::2", Payload = Packets.Pattern(40 * 1200) };
        byte[] superFrame = Reference.SuperFrame(spec.Build(), VirtioGsoType.UdpL4, 1200, 17);
        var coalescer = new UdpCoalescer();

        var (allocated, result) = SteadyState.Measure(() => SegmentAndMerge(superFrame, coalescer));

        Assert.Equal(0, allocated);
        Assert.Equal(40 + superFrame.Length, result);
        Assert.Equal(superFrame, _destination[..superFrame.Length]);
    }

    /// <summary>A packet with a partial checksum completed: 1 when it was.</summary>
    private static long Complete(byte[] plain)
    {
        VirtioNetHeader.TryParse(plain, out var header);
        header.Validate(plain.AsSpan(VirtioNetHeader.Length), out var layout);
        return ChecksumCompletion.TryComplete(plain.AsSpan(VirtioNetHeader.Length), layout) ? 1 : 0;
    }

    /// <summary>A super-frame cut into packets and the packets merged back: the segment count plus the bytes written.</summary>
    private long SegmentAndMerge(byte[] superFrame, ICoalescer coalescer)
    {
        VirtioNetHeader.TryParse(superFrame, out var header);
        header.Validate(superFrame.AsSpan(VirtioNetHeader.Length), out var layout);
        var sink = new SlotSink(_space, SlotSize, _lengths);
        GsoSegmenter.Segment(superFrame.AsSpan(VirtioNetHeader.Length), layout, ref sink, out int segments);

        long total = segments;
        var frames = new SlotFrames(_space, _lengths, segments);
        int outputs = coalescer.Coalesce(frames);
        for (int i = 0; i < outputs; i++)
        {
            coalescer.TryWrite(frames, i, _destination, out int written);
            total += written;
        }
        return total;
    }
}
