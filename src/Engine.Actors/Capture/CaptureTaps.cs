using Engine.Actors.Buffers;

namespace Engine.Actors.Capture;

/// <summary>
/// The captures the router feeds, by port. The router holds none until a capture starts, so
/// without one the data path pays a null check; each start or stop builds a new array.
/// Touched only by the router, on its thread.
/// </summary>
public sealed class CaptureTaps
{
    private CaptureTap[] _taps = [];

    public bool IsEmpty => _taps.Length == 0;

    public void Add(CaptureTap tap) => _taps = [.. _taps, tap];

    public void Remove(CaptureTap tap) => _taps = _taps.Where(t => t != tap).ToArray();

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
