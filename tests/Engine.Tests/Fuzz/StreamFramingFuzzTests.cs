using CsCheck;
using Engine.Actors.Counters;
using Engine.Actors.Peers;
using Engine.Actors.Topology;
using Engine.Actors.Wire;
using Xunit;
using Xunit.Abstractions;

namespace Engine.Tests.Fuzz;

/// <summary>
/// Hostile byte streams into a stream link (length16 and engine framing, EngineHeader and
/// EngineSession behind it): nothing throws, the link hands on exactly the frames
/// <see cref="StreamModels"/> expects and counts every other DATA message (or broken length) as
/// one drop, closes when the model says, and every pool batch is back after each read. A link
/// that stays open reads the next case's stream too, after what it kept of this one (a
/// connection's stream arrives in pieces): the model starts from that state, and a failure
/// message gives it.
/// </summary>
public sealed class StreamFramingFuzzTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>Packets a length16 link carries: those within its MTU (a longer length closes it, which the lying lengths cover).</summary>
    private static readonly Gen<byte[]> MtuPackets =
        FuzzGen.Frames([.. FuzzFrames.Ip.Select(t => t.Packet).Where(p => p.Length <= LinkRig.Mtu - 24)], ipOffset: 0, maxRandom: 120);
    private static readonly PeerRole[] Roles = [PeerRole.Engine, PeerRole.Controller, PeerRole.Quagga];

    /// <summary>Super-frame buffers: an engine link offers offloads only with room for a 64 KiB packet.</summary>
    private readonly LinkRig _rig = new(bufferSize: 65_664);

    private OpenLink? _open;
    private int _linksOpened;

    [Fact]
    public void Length16_streams()
    {
        var frame = Gen.Frequency(
            (100, MtuPackets.Select(p => (byte[])[.. Length(p.Length), .. p])),
            (1, Gen.Select(Gen.UShort, MtuPackets, (length, p) => (byte[])[.. Length(length), .. p])), // a length that lies
            (1, Gen.Byte.Array[0, 8]));
        var streams = Mutated(frame.Array[0, 6].Select(frames => frames.SelectMany(f => f).ToArray()));
        FuzzRun.Sample("length16 stream", streams,
            stream => Check(PeerFraming.Length16, stream, (link, bytes) => StreamModels.Length16(bytes, LinkRig.Mtu)),
            stream => "stream " + FuzzRun.Hex(stream), output);
    }

    [Fact]
    public void Engine_streams() =>
        FuzzRun.Sample("engine stream", Mutated(EngineStream()),
            stream => Check(PeerFraming.Engine, stream, (link, bytes) => StreamModels.Engine(bytes, LinkRig.Mtu,
                offersOffloads: link.Role == PeerRole.Engine, takesTags: link.Role == PeerRole.Controller, _rig.Pool.MaxFrameLength, ref link.Up)),
            stream => "stream " + FuzzRun.Hex(stream), output);

    private void Check(PeerFraming framing, byte[] stream, Func<OpenLink, byte[], StreamModels.Expected> model)
    {
        if (_open is null)
        {
            var role = Roles[_linksOpened++ % Roles.Length];
            var counters = new PortCounters();
            var (link, farEnd) = _rig.OpenStreamLink(LinkRig.Spec(role, PeerTransport.Tcp, framing), counters);
            _open = new OpenLink(link, farEnd, counters, role);
        }
        var open = _open;
        var (keptBefore, upBefore) = (open.Kept, open.Up);
        var dropsBefore = open.Counters.TotalDrops;
        var rxBefore = open.Counters.RxPackets;
        try
        {
            _rig.Feed(open.Link, open.FarEnd, stream);
            var bytes = (byte[])[.. open.Kept, .. stream];
            var expected = model(open, bytes);
            open.Kept = bytes[expected.Consumed..];

            Assert.Equal(expected.Closed, open.Link.IsClosed);
            Assert.Equal(expected.Drops, open.Counters.TotalDrops - dropsBefore);
            Assert.Equal(expected.Frames.Count, _rig.Delivered.Count);
            for (var i = 0; i < expected.Frames.Count; i++) Assert.Equal(expected.Frames[i], _rig.Delivered[i], FrameComparer.Instance);
            Assert.Equal(expected.Frames.Count, open.Counters.RxPackets - rxBefore);
            if (expected.Closed) Close();
            _rig.AssertPoolWhole();
        }
        catch (Exception e)
        {
            Close();
            throw new InvalidOperationException(
                $"{open.Role} link, session {(upBefore ? "up" : "not up")}, kept from before: {FuzzRun.Hex(keptBefore)}: {e.Message}", e);
        }
    }

    private void Close()
    {
        _open?.Link.Dispose();
        _open?.FarEnd.Dispose();
        _open = null;
    }

    /// <summary>A link that stays open between cases, with what the model knows of it.</summary>
    private sealed class OpenLink(StreamLink link, System.Net.Sockets.Socket farEnd, PortCounters counters, PeerRole role)
    {
        public StreamLink Link { get; } = link;
        public System.Net.Sockets.Socket FarEnd { get; } = farEnd;
        public PortCounters Counters { get; } = counters;
        public PeerRole Role { get; } = role;
        public byte[] Kept = [];
        public bool Up;
    }

    /// <summary>A HELLO most of the time, then DATA (plain and with offload headers), control messages and junk.</summary>
    private static Gen<byte[]> EngineStream()
    {
        var offloaded = Gen.Select(EngineMessages.Port,
            Gen.OneOf(FuzzFrames.Ip.Select(t => Gen.Select(FuzzGen.Header(t.Header), FuzzGen.Mutated([t.Packet], 0))).ToArray()),
            (port, c) => EngineMessages.Message(4, 1, port, [.. c.Item1, .. c.Item2]));
        var tooLong = Gen.UInt[65_601, uint.MaxValue].Select(length => EngineMessages.WithLength(EngineMessages.Message(4, 0, 0, []), length));
        // Messages that end the link are rarer than the rest, so most streams find a link already open.
        var message = Gen.Frequency((72, EngineMessages.Data), (48, offloaded), (6, EngineMessages.Hello), (12, EngineMessages.Control),
            (1, tooLong), (1, Gen.Byte.Array[0, 12]));
        return Gen.Select(Gen.Frequency((10, EngineMessages.Hello), (1, Gen.Const(Array.Empty<byte>()))), message.Array[0, 6],
            (first, rest) => (byte[])[.. first, .. rest.SelectMany(m => m)]);
    }

    private static byte[] Length(int length) => [(byte)(length >> 8), (byte)length];

    /// <summary>A stream with now and then a byte or two changed, and its end sometimes cut off.</summary>
    private static Gen<byte[]> Mutated(Gen<byte[]> streams) =>
        Gen.Select(streams, Gen.Frequency((3, Gen.Const(Array.Empty<(int, byte)>())), (1, Gen.Select(Gen.Int[0, 4000], Gen.Byte).Array[1, 2])), Gen.Frequency((30, Gen.Const(0)), (1, Gen.Int[1, 30])),
            (stream, changes, cut) =>
            {
                var copy = stream[..Math.Max(0, stream.Length - cut)];
                foreach (var (offset, value) in changes)
                    if (copy.Length > 0) copy[offset % copy.Length] = value;
                return copy;
            });

    public void Dispose()
    {
        output.WriteLine($"{_rig.TotalDelivered} frames handed on, {_linksOpened} links opened");
        Close();
        _rig.Dispose();
    }

    private sealed class FrameComparer : IEqualityComparer<(byte[] Frame, int Tag, VirtioFrameLayout Offload)>
    {
        public static readonly FrameComparer Instance = new();

        public bool Equals((byte[] Frame, int Tag, VirtioFrameLayout Offload) x, (byte[] Frame, int Tag, VirtioFrameLayout Offload) y) =>
            x.Frame.AsSpan().SequenceEqual(y.Frame) && x.Tag == y.Tag && x.Offload == y.Offload;

        public int GetHashCode((byte[] Frame, int Tag, VirtioFrameLayout Offload) obj) => obj.Frame.Length;
    }
}
