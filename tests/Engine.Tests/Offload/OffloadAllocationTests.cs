using Engine.Actors.Offload;
using Engine.Actors.Wire;
using Engine.Tests.Wire;
using Xunit;

namespace Engine.Tests.Offload;

public class OffloadAllocationTests
{
    private const int SlotSize = 1600;
    private const int Slots = 64;

    /// <summary>Segments written into fixed slots of one array, read back as a batch.</summary>
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

    /// <summary>A tun read turned into packets and a tun write turned back into a super-frame.</summary>
    private static long Run(byte[] superFrame, byte[] plain, byte[] space, int[] lengths, TcpCoalescer coalescer, byte[] destination)
    {
        long total = 0;
        VirtioNetHeader.TryParse(superFrame, out var header);
        header.Validate(superFrame.AsSpan(VirtioNetHeader.Length), out var layout);
        var sink = new SlotSink(space, SlotSize, lengths);
        GsoSegmenter.Segment(superFrame.AsSpan(VirtioNetHeader.Length), layout, ref sink, out int segments);

        VirtioNetHeader.TryParse(plain, out var plainHeader);
        plainHeader.Validate(plain.AsSpan(VirtioNetHeader.Length), out var plainLayout);
        total += ChecksumCompletion.TryComplete(plain.AsSpan(VirtioNetHeader.Length), plainLayout) ? 1 : 0;

        var frames = new SlotFrames(space, lengths, segments);
        int outputs = coalescer.Coalesce(frames);
        for (int i = 0; i < outputs; i++)
        {
            coalescer.TryWrite(frames, i, destination, out int written);
            total += written;
        }
        return total + segments;
    }

    [Fact]
    public void Validating_segmenting_completing_and_coalescing_allocate_nothing()
    {
        var spec = new TcpSpec { Options = TcpSpec.Timestamp(3), Payload = Packets.Pattern(40 * 1448) };
        byte[] superFrame = Reference.SuperFrame(spec.Build(), VirtioGsoType.TcpV4, 1448, 6);
        byte[] plain = Reference.SuperFrame(new TcpSpec { Source = "fd00::1", Destination = "fd00::2" }.Build(), VirtioGsoType.None, 0, 6);
        var space = new byte[Slots * SlotSize];
        var lengths = new int[Slots];
        var coalescer = new TcpCoalescer();
        var destination = new byte[VirtioNetHeader.Length + TcpCoalescer.MaxIpLength];
        for (int i = 0; i < 100; i++)
            Run(superFrame, plain, space, lengths, coalescer, destination);

        long before = GC.GetAllocatedBytesForCurrentThread();
        long result = Run(superFrame, plain, space, lengths, coalescer, destination);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(1 + superFrame.Length + 40, result);
        Assert.Equal(superFrame, destination[..superFrame.Length]);
    }
}
