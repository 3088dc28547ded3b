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

    private readonly LinkRig _rig = new(bufferSize: 2048);
    private (DatagramLink Link, Socket FarEnd, PortCounters Counters)? _open;
    private bool _up;

    [Fact]
    public void Datagram_framing() =>
        FuzzRun.Sample("datagram udp", Gen.Frequency((8, EngineMessages.Packets), (1, Gen.Byte.Array[1500, 1600])).Array[1, 4],
            datagrams => Check(PeerRole.Quagga, PeerFraming.Datagram, datagrams, d => DatagramModels.Datagram(d, LinkRig.Mtu)),
            Print, output);

    [Fact]
    public void Engine_framing_over_udp()
    {
        var lying = Gen.Select(EngineMessages.Data, Gen.UInt, EngineMessages.WithLength);
        var datagram = Gen.Frequency((10, EngineMessages.Data), (2, EngineMessages.Hello), (2, EngineMessages.Control), (1, lying), (1, Gen.Byte.Array[0, 12]));
        FuzzRun.Sample("engine udp", datagram.Array[1, 4],
            datagrams => Check(PeerRole.Controller, PeerFraming.Engine, datagrams, d => DatagramModels.Engine(d, LinkRig.Mtu, takesTags: true, ref _up)),
            Print, output);
    }

    private void Check(PeerRole role, PeerFraming framing, byte[][] datagrams, Func<byte[], DatagramModels.Outcome> model)
    {
        if (_open is null)
        {
            var counters = new PortCounters();
            var (link, farEnd) = _rig.OpenDatagramLink(role, framing, counters);
            _open = (link, farEnd, counters);
            _up = false;
        }
        var (openLink, openFarEnd, openCounters) = _open.Value;
        var state = $"session {(_up ? "up" : "not up")} before";
        var dropsBefore = openCounters.TotalDrops;
        try
        {
            _rig.Feed(openLink, openFarEnd, datagrams);
            var outcomes = datagrams.Select(model).ToList();
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
            throw new InvalidOperationException($"{state}: {e.Message}", e);
        }
    }

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
