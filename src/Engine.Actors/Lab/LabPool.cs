using Engine.Actors.Buffers;
using Engine.Actors.Topology;
using Engine.Actors.Wire;
using Engine.Native.Tun;

namespace Engine.Actors.Lab;

/// <summary>The lab's frame pool, sized for its largest frame and bounded in batches and in bytes.</summary>
internal static class LabPool
{
    private const int MaxBatches = 1024;
    private const long MaxPoolBytes = 512L << 20;

    public static FrameBatchPool For(LabTopology lab)
    {
        var bufferSize = BufferSize(lab);
        return new FrameBatchPool(lab.Settings.BatchSize, bufferSize, MaxBatchesFor(lab.Settings.BatchSize, bufferSize));
    }

    /// <summary>
    /// The pool's bound: at most <see cref="MaxBatches"/>, and no more than
    /// <see cref="MaxPoolBytes"/> of buffers, which super-frame-sized buffers reach sooner.
    /// </summary>
    private static int MaxBatchesFor(int batchSize, int bufferSize) =>
        (int)Math.Clamp(MaxPoolBytes / ((long)batchSize * bufferSize), 16, MaxBatches);

    /// <summary>Room for the largest frame of any device or peer, and never less than an ICMPv6 error needs.</summary>
    private static int BufferSize(LabTopology lab)
    {
        var largest = lab.Devices.IsEmpty ? 1500 : lab.Devices.Max(d => d.Mtu + (d.Type == DeviceType.Tap ? 18 : 0));
        foreach (var peer in lab.Peers)
            largest = Math.Max(largest, peer.Mtu ?? 0);
        // A device with offloads hands over super-frames of up to 64 KiB (behind an Ethernet header on a tap).
        if (lab.Devices.Any(d => d.Offloads != TunOffloads.None))
            largest = Math.Max(largest, Offload.TcpCoalescer.MaxIpLength + EthernetFrame.HeaderLength);
        var size = FrameBatch.Headroom + Math.Max(largest, 1280 + 64);
        return (size + 63) & ~63;
    }
}
