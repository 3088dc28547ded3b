using System.Buffers;
using Akka.Actor;
using Engine.Actors.Counters;
using Engine.Actors.Routing;

namespace Engine.Actors.Capture;

/// <summary>
/// One capture as its session writes it: the tap the router fills, turned into pcapng a drain at a
/// time, until <see cref="Count"/> frames are out (then the statistics block ends it) or the
/// client leaves. What the ring could not hold is counted in <see cref="Lost"/>, never waited for.
/// </summary>
public sealed class CaptureStream
{
    private readonly IActorRef _router;
    private readonly ArrayBufferWriter<byte> _output = new(64 * 1024);
    private readonly byte[] _scratch = new byte[Pcapng.SnapLength + 64 * 1024];
    private readonly byte[] _framed = new byte[Pcapng.SnapLength + 64 * 1024 + 14];

    public CaptureStream(IActorRef router, Port port, long? count)
    {
        _router = router;
        Port = port;
        Count = count;
        Tap = new CaptureTap(port.Index);
    }

    public Port Port { get; }
    public CaptureTap Tap { get; }
    public long? Count { get; }
    public long Written { get; private set; }
    public long Lost => Tap.Ring.Lost;
    public bool IsDone { get; private set; }

    /// <summary>The router's drops (<see cref="CaptureTaps.DropsPort"/>), each with its reason as the frame's comment.</summary>
    public bool IsDrops => Port.Index == CaptureTaps.DropsPort;

    /// <summary>Starts the router copying frames; returns the pcapng header to send first.</summary>
    public byte[] Start()
    {
        _router.Tell(new StartCapture(Tap));
        _output.ResetWrittenCount();
        // Drops come from every kind of port, and libpcap reads one link type a file: Ethernet, an IP packet behind a made-up header.
        Pcapng.WriteHeader(_output, Port.Name, IsDrops || Port.IsEthernet || Port.Switch is not null ? Pcapng.LinkTypeEthernet : Pcapng.LinkTypeRaw);
        return _output.WrittenSpan.ToArray();
    }

    public void Stop() => _router.Tell(new StopCapture(Tap));

    /// <summary>The frames captured since the last drain as pcapng blocks, ending with the statistics once Count are out; empty when there are none.</summary>
    public byte[] Drain()
    {
        _output.ResetWrittenCount();
        Tap.Ring.Drain(TakeFrame, _scratch);
        if (IsDone) Pcapng.WriteStatistics(_output, DateTime.UtcNow, Lost);
        return _output.WrittenCount == 0 ? [] : _output.WrittenSpan.ToArray();
    }

    /// <summary>An IP packet behind an Ethernet header of zero addresses and its version's EtherType.</summary>
    private ReadOnlySpan<byte> BehindEthernet(ReadOnlySpan<byte> packet)
    {
        _framed.AsSpan(0, 12).Clear();
        var ipv6 = !packet.IsEmpty && packet[0] >> 4 == 6;
        _framed[12] = ipv6 ? (byte)0x86 : (byte)0x08;
        _framed[13] = ipv6 ? (byte)0xDD : (byte)0x00;
        packet.CopyTo(_framed.AsSpan(14));
        return _framed.AsSpan(0, 14 + packet.Length);
    }

    private void TakeFrame(DateTime time, ReadOnlySpan<byte> frame, CaptureDirection direction, ushort note)
    {
        if (IsDone) return;
        if (DropNote.ReasonOf(note) is { } reason)
            Pcapng.WritePacket(_output, time, DropNote.IsEthernet(note) ? frame : BehindEthernet(frame), direction, reason.Label());
        else
            Pcapng.WritePacket(_output, time, frame, direction);
        Written++;
        if (Written == Count) IsDone = true;
    }
}
