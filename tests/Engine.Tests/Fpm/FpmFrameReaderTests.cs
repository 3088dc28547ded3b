using Engine.Actors.Fpm;
using Xunit;

namespace Engine.Tests.Fpm;

/// <summary>The FPM framing: whole frames from any pieces of the stream, and the headers that close the connection.</summary>
public sealed class FpmFrameReaderTests
{
    private static readonly byte[] Ecmp = FpmFixtures.Stream("ecmp");

    [Fact]
    public void A_stream_split_at_every_offset_yields_the_same_frames()
    {
        var frames = FpmWire.Frames(Ecmp);
        for (var split = 0; split <= Ecmp.Length; split++)
        {
            var reader = new FpmFrameReader();
            var read = new List<byte[]>();
            reader.Append(Ecmp.AsSpan(0, split));
            Drain(reader, read);
            reader.Append(Ecmp.AsSpan(split));
            Drain(reader, read);

            Assert.Equal(frames.Length, read.Count);
            for (var i = 0; i < frames.Length; i++)
                Assert.Equal(frames[i][FpmFrameHeader.Size..], read[i]);
            Assert.Equal(0, reader.Buffered);
        }
    }

    [Fact]
    public void A_frame_arriving_a_byte_at_a_time_is_whole_only_at_its_last_byte()
    {
        var frame = FpmWire.Frames(Ecmp)[1];
        var reader = new FpmFrameReader();
        for (var i = 0; i < frame.Length - 1; i++)
        {
            reader.Append(frame.AsSpan(i, 1));
            Assert.Equal(FpmFrameStatus.NeedMore, reader.Next(out _));
        }
        reader.Append(frame.AsSpan(^1));
        Assert.Equal(FpmFrameStatus.Frame, reader.Next(out var payload));
        Assert.Equal(frame.AsSpan(FpmFrameHeader.Size).ToArray(), payload.ToArray());
        Assert.Equal(FpmFrameStatus.NeedMore, reader.Next(out _));
    }

    [Fact]
    public void A_frame_of_only_its_header_is_empty_and_the_stream_goes_on()
    {
        var reader = new FpmFrameReader();
        reader.Append([1, 1, 0, 4, .. FpmWire.Frames(Ecmp)[0]]);

        Assert.Equal(FpmFrameStatus.Frame, reader.Next(out var empty));
        Assert.True(empty.IsEmpty);
        Assert.Equal(FpmFrameStatus.Frame, reader.Next(out var next));
        Assert.False(next.IsEmpty);
    }

    [Theory]
    [InlineData(new byte[] { 2, 1, 0, 8, 0, 0, 0, 0 }, FpmCloseReason.WrongVersion)]
    [InlineData(new byte[] { 0, 1, 0, 8, 0, 0, 0, 0 }, FpmCloseReason.WrongVersion)]
    [InlineData(new byte[] { 1, 2, 0, 8, 0, 0, 0, 0 }, FpmCloseReason.WrongType)]
    [InlineData(new byte[] { 1, 0, 0, 8, 0, 0, 0, 0 }, FpmCloseReason.WrongType)]
    [InlineData(new byte[] { 1, 1, 0, 3 }, FpmCloseReason.LengthShorterThanHeader)]
    [InlineData(new byte[] { 1, 1, 0, 0 }, FpmCloseReason.LengthShorterThanHeader)]
    public void A_bad_header_after_good_frames_closes_the_stream_for_good(byte[] header, FpmCloseReason reason)
    {
        var good = FpmWire.Frames(Ecmp)[0];
        var reader = new FpmFrameReader();
        reader.Append([.. good, .. header, .. good]);

        Assert.Equal(FpmFrameStatus.Frame, reader.Next(out _));
        Assert.Equal(FpmFrameStatus.Close, reader.Next(out _));
        Assert.Equal(reason, reader.CloseReason);
        reader.Append(good);
        Assert.Equal(FpmFrameStatus.Close, reader.Next(out _));
        Assert.Equal(0, reader.Buffered);
    }

    [Fact]
    public void A_truncated_frame_waits_for_the_rest_and_closes_nothing()
    {
        var frame = FpmWire.Frames(Ecmp)[1];
        var reader = new FpmFrameReader();
        reader.Append(frame.AsSpan(0, frame.Length - 1));

        Assert.Equal(FpmFrameStatus.NeedMore, reader.Next(out _));
        Assert.Null(reader.CloseReason);
        Assert.Equal(frame.Length - 1, reader.Buffered);
    }

    [Fact]
    public void Pieces_larger_than_the_buffer_are_kept_whole()
    {
        var bulk = FpmFixtures.Stream("bulk-10k");
        var reader = new FpmFrameReader();
        reader.Append(bulk.AsSpan(0, bulk.Length - 10));
        var frames = 0;
        while (reader.Next(out _) == FpmFrameStatus.Frame) frames++;
        reader.Append(bulk.AsSpan(bulk.Length - 10));
        while (reader.Next(out _) == FpmFrameStatus.Frame) frames++;

        Assert.Equal(20_006, frames);
        Assert.Equal(0, reader.Buffered);
    }

    private static void Drain(FpmFrameReader reader, List<byte[]> read)
    {
        while (reader.Next(out var payload) == FpmFrameStatus.Frame)
            read.Add(payload.ToArray());
    }
}
