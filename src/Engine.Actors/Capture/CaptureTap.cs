using Engine.Actors.Buffers;

namespace Engine.Actors.Capture;

/// <summary>One capture of one port: the port's index and the ring its frames are copied into.</summary>
public sealed class CaptureTap(int port, int ringBytes = CaptureTap.DefaultRingBytes)
{
    public const int DefaultRingBytes = 4 << 20;

    public int Port { get; } = port;
    public CaptureRing Ring { get; } = new(ringBytes);

    /// <summary>Copies every frame of <paramref name="batch"/>; a batch of already framed link messages is no traffic of the port's.</summary>
    public void Offer(FrameBatch batch, CaptureDirection direction)
    {
        if (batch.IsFramed) return;
        for (var i = 0; i < batch.Count; i++) Ring.Offer(batch.Frame(i), direction);
    }
}
