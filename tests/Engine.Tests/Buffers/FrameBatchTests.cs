using Engine.Actors.Buffers;
using Xunit;

namespace Engine.Tests.Buffers;

public sealed class FrameBatchTests
{
    [Fact]
    public void Frames_moved_out_of_the_front_leave_the_rest_in_order_and_every_buffer_in_some_batch()
    {
        var pool = new FrameBatchPool(4, 256, maxBatches: 2);
        Assert.True(pool.TryRent(out var source));
        Assert.True(pool.TryRent(out var tail));
        for (byte n = 1; n <= 4; n++) Assert.True(source.TryAppendCopy([n, n, n]));
        Assert.True(tail.TryAppendCopy([9]));
        tail.SetTag(0, 7);
        source.SetTag(3, 5);
        var buffers = Buffers(source).Concat(Buffers(tail)).ToHashSet();

        // The tail has room for three; the fourth frame stays behind, moved to the front.
        for (var i = 0; i < 3; i++) source.MoveTo(i, tail);
        source.RemoveFirst(3);

        Assert.Equal([[9], [1, 1, 1], [2, 2, 2], [3, 3, 3]], Frames(tail));
        Assert.Equal([[4, 4, 4]], Frames(source));
        Assert.Equal(5, source.Tag(0));
        Assert.Equal(buffers, Buffers(source).Concat(Buffers(tail)).ToHashSet());
        Assert.Equal(2L * 4 * 256, source.BufferBytes + tail.BufferBytes);
    }

    private static List<byte[]> Frames(FrameBatch batch) =>
        Enumerable.Range(0, batch.Count).Select(i => batch.Frame(i).ToArray()).ToList();

    private static IEnumerable<byte[]> Buffers(FrameBatch batch) =>
        Enumerable.Range(0, batch.Capacity).Select(batch.Buffer);
}
