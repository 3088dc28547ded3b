using System.Net.Sockets;
using CsCheck;
using Engine.Actors.Counters;
using Engine.Actors.Peers;
using Engine.Actors.Topology;
using Xunit;
using Xunit.Abstractions;

namespace Engine.Tests.Fuzz;

/// <summary>
/// Hostile datagrams into a connected UDP link, in the 'datagram' framing (one packet per
/// datagram) and the engine framing (one message per datagram, the UDP engine path): nothing
/// throws, each datagram gives exactly the frame <see cref="DatagramModels"/> expects or one
/// counted drop (control messages give neither), and every pool batch is back after each read.
/// One link serves every case, as one socket serves a peer for its life; a failure message
/// gives the session state the case started from.
/// </summary>
public sealed class DatagramFramingFuzzTests(ITestOutputHelper output) : IDisposable
{
    private LinkRig _rig = new(bufferSize: 2048);
    private (DatagramLink Link, Socket FarEnd, PortCounters Counters)? _open;
    private bool _up;

    private static readonly Gen<byte[]> Datagrams = Gen.Frequency((8, EngineMessages.Packets), (1, Gen.Byte.Array[1500, 1600]));

    [Fact]
    public void Datagram_framing() =>
        FuzzRun.Sample("datagram udp", Datagrams.Array[1, 4],
            datagrams => Check(PeerRole.Quagga, PeerFraming.Datagram, Plain(datagrams), d => DatagramModels.Datagram(d, LinkRig.Mtu)),
            Print, output);

    /// <summary>
    /// The same with 64 KiB buffers, where the link takes datagrams merged (UDP_GRO) and cuts
    /// them apart itself; the far end sends some as one UDP_SEGMENT send, of sizes down to 1 byte.
    /// </summary>
    [Fact]
    public void Datagram_framing_with_merged_receives()
    {
        _rig.Dispose();
        _rig = new LinkRig(bufferSize: 65_664);
        var segmented = Gen.Select(
            Gen.Frequency((2, Gen.Int[1, 64]), (2, Gen.Int[100, 1500]), (1, Gen.Int[1501, 1600])), Gen.Int[1, 8], Gen.Int[0, 1600],
            (size, count, shorter) => (Size: size, Length: Math.Max(0, size * count - Math.Min(shorter, size - 1))))
            .SelectMany(s => Gen.Byte.Array[s.Length].Select(payload => (payload, s.Size)));
        var send = Gen.Frequency((3, Datagrams.Select(d => (d, 0))), (2, segmented));
        FuzzRun.Sample("datagram udp merged", send.Array[1, 4], sends =>
        {
            Check(PeerRole.Quagga, PeerFraming.Datagram, sends, d => DatagramModels.Datagram(d, LinkRig.Mtu));
            Assert.Contains("merged receives", _open!.Value.Link.Batching);
        }, sends => string.Join(" ", sends.Select(s => $"{FuzzRun.Hex(s.Item1)}/{s.Item2}")), output);
    }

    [Fact]
    public void Engine_framing_over_udp()
    {
        var lying = Gen.Select(EngineMessages.Data, Gen.UInt, EngineMessages.WithLength);
        var datagram = Gen.Frequency((10, EngineMessages.Data), (2, EngineMessages.Hello), (2, EngineMessages.Control), (1, lying), (1, Gen.Byte.Array[0, 12]));
        FuzzRun.Sample("engine udp", datagram.Array[1, 4],
            datagrams => Check(PeerRole.Controller, PeerFraming.Engine, Plain(datagrams), d => DatagramModels.Engine(d, LinkRig.Mtu, takesTags: true, ref _up)),
            Print, output);
    }

    private void Check(PeerRole role, PeerFraming framing, (byte[] Payload, int SegmentSize)[] sends, Func<byte[], DatagramModels.Outcome> model)
    {
        if (_open is null)
        {
            var counters = new PortCounters();
            var (link, farEnd) = _rig.OpenDatagramLink(role, framing, counters);
            _open = (link, farEnd, counters);
            _up = false;
        }
        var (openLink, openFarEnd, openCounters) = _open.Value;
        var upBefore = _up;
        var dropsBefore = openCounters.TotalDrops;
        try
        {
            _rig.Feed(openLink, openFarEnd, openCounters, sends);
            var outcomes = sends.SelectMany(DatagramsOf).Select(model).ToList();
            var frames = outcomes.Where(o => o.Frame is not null).ToList();

            Assert.False(openLink.IsClosed);
            Assert.Equal(outcomes.Count(o => o.Dropped), openCounters.TotalDrops - dropsBefore);
            Assert.Equal(frames.Count, _rig.Delivered.Count);
            for (var i = 0; i < frames.Count; i++)
            {
                Assert.Equal(frames[i].Frame, _rig.Delivered[i].Frame);
                Assert.Equal(frames[i].Tag, _rig.Delivered[i].Tag);
            }
            _rig.AssertPoolWhole();
        }
        catch (Exception e)
        {
            Close();
            throw new InvalidOperationException($"session {(upBefore ? "up" : "not up")} before: {e.Message}", e);
        }
    }

    private static (byte[], int)[] Plain(byte[][] datagrams) => [.. datagrams.Select(d => (d, 0))];

    /// <summary>The datagrams a send makes: itself, or its segments (the last may be shorter).</summary>
    private static IEnumerable<byte[]> DatagramsOf((byte[] Payload, int SegmentSize) send) =>
        send.SegmentSize == 0 || send.Payload.Length <= send.SegmentSize ? [send.Payload] : send.Payload.Chunk(send.SegmentSize);

    private static string Print(byte[][] datagrams) => "datagrams " + string.Join(" ", datagrams.Select(d => FuzzRun.Hex(d)));

    private void Close()
    {
        _open?.Link.Dispose();
        _open?.FarEnd.Dispose();
        _open = null;
    }

    public void Dispose()
    {
        output.WriteLine($"{_rig.TotalDelivered} frames handed on");
        Close();
        _rig.Dispose();
    }
}
