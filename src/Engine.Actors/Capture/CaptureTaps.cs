using Engine.Actors.Buffers;
using Engine.Actors.Counters;

namespace Engine.Actors.Capture;

/// <summary>
/// The captures the router feeds, by port. The router holds none until a capture starts, so
/// without one the data path pays a null check; each start or stop builds a new array.
/// Touched only by the router, on its thread.
/// </summary>
public sealed class CaptureTaps
{
    /// <summary>The pseudo-port "drops": what the router drops as it routes a frame, each with its reason.</summary>
    public const int DropsPort = -2;

    private CaptureTap[] _taps = [];

    public bool IsEmpty => _taps.Length == 0;

    /// <summary>Some capture takes the router's drops: the router then keeps a copy of each frame while it routes it.</summary>
    public bool CapturesDrops { get; private set; }

    public void Add(CaptureTap tap) => Set([.. _taps, tap]);

    public void Remove(CaptureTap tap) => Set(_taps.Where(t => t != tap).ToArray());

    private void Set(CaptureTap[] taps)
    {
        _taps = taps;
        CapturesDrops = taps.Any(t => t.Port == DropsPort);
    }

    /// <summary>A frame the router dropped for <paramref name="reason"/>, as it came in (<see cref="DropNote"/>).</summary>
    public void Dropped(ReadOnlySpan<byte> frame, bool ethernet, DropReason reason)
    {
        foreach (var tap in _taps)
            if (tap.Port == DropsPort) tap.Ring.Offer(frame, CaptureDirection.Inbound, DropNote.Of(reason, ethernet));
    }

    /// <summary>What <paramref name="batch"/>'s ingress port read.</summary>
    public void Received(FrameBatch batch) => Offer(batch.IngressPort, batch, CaptureDirection.Inbound);

    /// <summary>What the router sends out of <paramref name="port"/>.</summary>
    public void Sent(int port, FrameBatch batch) => Offer(port, batch, CaptureDirection.Outbound);

    private void Offer(int port, FrameBatch batch, CaptureDirection direction)
    {
        foreach (var tap in _taps)
            if (tap.Port == port) tap.Offer(batch, direction);
    }
}
