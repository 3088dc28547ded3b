using System.Buffers.Binary;
using CsCheck;
using Engine.Actors.Fpm;
using Engine.Tests.Fpm;
using Xunit;
using Xunit.Abstractions;

namespace Engine.Tests.Fuzz;

/// <summary>
/// Hostile FPM streams: the captures' frames as they are, with bytes changed (half the time with
/// the frame length made right again, so the change reaches the netlink decoder), cut or padded,
/// headers of any value and random bytes, arriving in random pieces. Nothing throws; the stream
/// closes exactly where <see cref="ExpectedClose"/> says, for the reason it says; the pieces do not
/// change what is decoded; every message is counted once; and every update is one the table can
/// hold, which it then applies and resolves without throwing.
/// </summary>
public sealed class FpmStreamFuzzTests(ITestOutputHelper output)
{
    private static readonly byte[][] Templates =
    [
        .. FpmFixtures.Decoded.SelectMany(capture => FpmWire.Frames(FpmFixtures.Stream(capture))),
    ];

    [Fact]
    public void Fpm_streams()
    {
        var piece = Gen.Frequency(
            (6, Gen.Int[0, Templates.Length - 1].Select(i => Templates[i])),
            (8, Mutated),
            (1, Gen.Byte.Array[0, 24]),
            (1, Gen.Select(Gen.Byte, Gen.Byte, Gen.UShort, Gen.Byte.Array[0, 40], (version, type, length, rest) =>
            {
                var frame = (byte[])[version, type, 0, 0, .. rest];
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), length);
                return frame;
            })));
        var streams = Gen.Select(piece.Array[0, 8], Gen.Int[1, 80].Array[1, 8],
            (pieces, cuts) => (Stream: pieces.SelectMany(p => p).ToArray(), Cuts: cuts));
        FuzzRun.Sample("fpm stream", streams, c => Check(c.Stream, c.Cuts),
            c => $"stream {FuzzRun.Hex(c.Stream)} in pieces of {string.Join(",", c.Cuts)}", output);
    }

    /// <summary>
    /// A capture's frame with up to 4 bytes changed in its headers, maybe cut short or extended
    /// (<see cref="FuzzGen.Mutated"/>), half the time with its FPM length made right again.
    /// </summary>
    private static Gen<byte[]> Mutated =>
        Gen.Select(FuzzGen.Mutated(Templates, ipOffset: NoIpHeader), Gen.Bool, (frame, fixLength) =>
        {
            if (fixLength && frame.Length is >= FpmFrameHeader.Size and <= FpmFrameHeader.MaxLength)
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(FpmFrameHeader.LengthOffset), (ushort)frame.Length);
            return frame;
        });

    /// <summary>Past any frame, so FuzzGen finds no IPv4 header to fix.</summary>
    private const int NoIpHeader = 1 << 20;

    private static void Check(byte[] stream, int[] cuts)
    {
        var whole = new FpmStreamDecoder();
        var wholeUpdates = new List<FpmUpdate>();
        var open = whole.Feed(stream, wholeUpdates);

        var expectedClose = ExpectedClose(stream, out var frames);
        Assert.Equal(expectedClose, whole.CloseReason);
        Assert.Equal(expectedClose is null, open);
        Assert.Equal(frames, whole.Counters.Frames);
        var counters = whole.Counters;
        Assert.Equal(counters.Messages, counters.Updates + counters.Ignored + counters.Refused);
        Assert.Equal(counters.Updates, wholeUpdates.Count);

        var pieces = new FpmStreamDecoder();
        var piecesUpdates = new List<FpmUpdate>();
        for (int offset = 0, i = 0; offset < stream.Length; i++)
        {
            var length = Math.Min(cuts[i % cuts.Length], stream.Length - offset);
            pieces.Feed(stream.AsSpan(offset, length), piecesUpdates);
            offset += length;
        }
        Assert.Equal(whole.CloseReason, pieces.CloseReason);
        Assert.Equal(wholeUpdates, piecesUpdates);
        Assert.Equal((counters.Frames, counters.Messages, counters.Ignored, counters.Refused),
            (pieces.Counters.Frames, pieces.Counters.Messages, pieces.Counters.Ignored, pieces.Counters.Refused));

        if (!open)
        {
            Assert.False(whole.Feed(Templates[0], wholeUpdates));
            Assert.Equal(counters.Updates, wholeUpdates.Count);
        }

        Assert.All(wholeUpdates, AssertHoldable);
        var table = new FpmRouteTable();
        table.BeginResync();
        table.Apply(wholeUpdates);
        table.EndResync();
        Assert.All(table.Fib, entry => Assert.True(entry.NextHops.All(h => h.Weight is >= 1 and <= 256)));
    }

    /// <summary>The framing rules, written out plainly: where a stream must close, and how many frames come before.</summary>
    private static FpmCloseReason? ExpectedClose(byte[] stream, out int frames)
    {
        frames = 0;
        for (var offset = 0; stream.Length - offset >= 4;)
        {
            if (stream[offset] != 1) return FpmCloseReason.WrongVersion;
            if (stream[offset + 1] != 1) return FpmCloseReason.WrongType;
            var length = stream[offset + 2] << 8 | stream[offset + 3];
            if (length < 4) return FpmCloseReason.LengthShorterThanHeader;
            if (stream.Length - offset < length) return null;
            frames++;
            for (int message = offset + 4, end = offset + length; message < end;)
            {
                if (end - message < 16) return FpmCloseReason.NetlinkLengthLies;
                var messageLength = BinaryPrimitives.ReadUInt32LittleEndian(stream.AsSpan(message));
                if (messageLength < 16 || messageLength > end - message) return FpmCloseReason.NetlinkLengthLies;
                message += ((int)messageLength + 3) & ~3;
            }
            offset += length;
        }
        return null;
    }

    private static void AssertHoldable(FpmUpdate update)
    {
        switch (update)
        {
            case FpmRouteAdd { Route: var route }:
                Assert.InRange(route.Key.Prefix.Length, 0, route.Key.Prefix.IsIPv6 ? 128 : 32);
                Assert.True(Enum.IsDefined(route.Type));
                if (route.Type == FpmRouteType.Unicast)
                    Assert.True(route.NextHops.IsEmpty != route.NextHopId is null, "a unicast route has paths or a next-hop id");
                else
                    Assert.True(route.NextHops.IsEmpty && route.NextHopId is null);
                Assert.All(route.NextHops, h => Assert.InRange(h.Weight, 1, 256));
                break;
            case FpmNextHopAdd { NextHop: var nextHop }:
                Assert.True(nextHop.IsGroup || nextHop.Blackhole || nextHop.Gateway is not null || nextHop.IfIndex != 0);
                Assert.All(nextHop.Group, m => Assert.InRange(m.Weight, 1, 256));
                break;
        }
    }
}
