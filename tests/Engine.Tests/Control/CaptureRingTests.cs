using Engine.Actors.Capture;
using Xunit;

namespace Engine.Tests.Control;

public class CaptureRingTests
{
    [Fact]
    public void Frames_come_out_in_order_across_the_ring_s_end()
    {
        var ring = new CaptureRing(100);
        var taken = new List<(byte First, int Length, CaptureDirection Direction)>();
        var scratch = new byte[100];
        for (var round = 0; round < 10; round++)
        {
            ring.Offer(Frame(30, (byte)round), CaptureDirection.Inbound);
            ring.Offer(Frame(20, (byte)(round + 100)), CaptureDirection.Outbound);
            Assert.Equal(2, ring.Drain((_, frame, direction, _) => taken.Add((frame[0], frame.Length, direction)), scratch));
        }

        Assert.Equal(20, taken.Count);
        Assert.All(Enumerable.Range(0, 10), round =>
        {
            Assert.Equal(((byte)round, 30, CaptureDirection.Inbound), taken[2 * round]);
            Assert.Equal(((byte)(round + 100), 20, CaptureDirection.Outbound), taken[2 * round + 1]);
        });
        Assert.Equal(0, ring.Lost);
    }

    [Fact]
    public void A_full_ring_loses_frames_counted_and_takes_again_once_drained()
    {
        var ring = new CaptureRing(100);
        for (var i = 0; i < 5; i++) ring.Offer(Frame(30, (byte)i), CaptureDirection.Inbound); // 46 bytes each: 2 fit

        Assert.Equal(3, ring.Lost);
        var first = new List<byte>();
        Assert.Equal(2, ring.Drain((_, frame, _, _) => first.Add(frame[0]), new byte[100]));
        Assert.Equal([0, 1], first);
        ring.Offer(Frame(30, 9), CaptureDirection.Inbound);
        Assert.Equal(1, ring.Drain((_, _, _, _) => { }, new byte[100]));
    }

    private static byte[] Frame(int length, byte first)
    {
        var frame = new byte[length];
        frame[0] = first;
        return frame;
    }

    [Fact]
    public void A_frame_keeps_its_note()
    {
        var ring = new CaptureRing(100);
        ring.Offer(Frame(10, 1), CaptureDirection.Inbound, note: 0x0102);

        ushort seen = 0;
        ring.Drain((_, _, _, note) => seen = note, new byte[100]);

        Assert.Equal(0x0102, seen);
    }
}
