using Engine.Actors.Offload;
using Engine.Actors.Wire;
using Engine.Tests.Wire;
using Xunit;

namespace Engine.Tests.Offload;

public class UdpCoalescerAllocationTests
{
    private const int SlotSize = 1600;
    private const int Slots = 64;

    /// <summary>Datagrams written into fixed slots of one array, read back as a batch.</summary>
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

    /// <summary>A USO super-frame cut into datagrams and the datagrams merged back.</summary>
    private static long Run(byte[] superFrame, byte[] space, int[] lengths, UdpCoalescer coalescer, byte[] destination)
    {
        VirtioNetHeader.TryParse(superFrame, out var header);
        header.Validate(superFrame.AsSpan(VirtioNetHeader.Length), out var layout);
        var sink = new SlotSink(space, SlotSize, lengths);
        GsoSegmenter.Segment(superFrame.AsSpan(VirtioNetHeader.Length), layout, ref sink, out int segments);

        long total = segments;
        var frames = new SlotFrames(space, lengths, segments);
        int outputs = coalescer.Coalesce(frames);
        for (int i = 0; i < outputs; i++)
        {
            coalescer.TryWrite(frames, i, destination, out int written);
            total += written;
        }
        return total;
    }

    [Fact]
    public void Coalescing_udp_allocates_nothing()
    {
        var spec = new UdpSpec { Source = "fd00::1", Destination = "fd00::2", Payload = Packets.Pattern(40 * 1200) };
        byte[] superFrame = Reference.SuperFrame(spec.Build(), VirtioGsoType.UdpL4, 1200, 17);
        var space = new byte[Slots * SlotSize];
        var lengths = new int[Slots];
        var coalescer = new UdpCoalescer();
        var destination = new byte[VirtioNetHeader.Length + UdpCoalescer.MaxIpLength];
        for (int i = 0; i < 100; i++)
            Run(superFrame, space, lengths, coalescer, destination);

        long before = GC.GetAllocatedBytesForCurrentThread();
        long result = Run(superFrame, space, lengths, coalescer, destination);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(40 + superFrame.Length, result);
        Assert.Equal(superFrame, destination[..superFrame.Length]);
    }
}
