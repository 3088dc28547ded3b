using Engine.Actors.Offload;
using Engine.Actors.Wire;
using Engine.Native.Tun;
using Xunit;

namespace Engine.IntegrationTests.Native;

/// <summary>Reading and writing test frames on a real non-blocking tun device.</summary>
internal static class TunFrames
{
    /// <summary>
    /// Polls <paramref name="tun"/> until a frame matches; other frames (IPv6 chatter) are
    /// skipped. Throws with <paramref name="missing"/> after 5 s.
    /// </summary>
    public static byte[] ReadUntil(TunDevice tun, Func<byte[], bool> wanted, string missing = "the expected frame never arrived")
    {
        var buffer = new byte[VirtioNetHeader.Length + 65535];
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            int n = tun.Read(buffer);
            if (n == 0)
            {
                Thread.Sleep(10);
                continue;
            }
            if (wanted(buffer[..n])) return buffer[..n];
        }
        throw new TimeoutException(missing);
    }

    /// <summary>
    /// Merges <paramref name="packets"/> (finished ones) with <paramref name="coalescer"/>,
    /// which must make one super-frame of them, and writes it to <paramref name="ingress"/>;
    /// returns the frame written, virtio header first.
    /// </summary>
    public static byte[] WriteMerged(ICoalescer coalescer, TunDevice ingress, List<byte[]> packets)
    {
        var frames = new Packets(packets);
        Assert.Equal(1, coalescer.Coalesce(frames));
        Assert.Equal(packets.Count, coalescer[0].FrameCount);
        var buffer = new byte[VirtioNetHeader.Length + RunCoalescer<TcpMergeCandidate>.MaxIpLength];
        Assert.True(coalescer.TryWrite(frames, 0, buffer, out int written));
        Assert.True(ingress.Write(buffer.AsSpan(0, written)), "the kernel refused the super-frame");
        return buffer[..written];
    }

    private readonly struct Packets(List<byte[]> packets) : IFrameList
    {
        public int Count => packets.Count;

        public ReadOnlySpan<byte> Frame(int index) => packets[index];

        public bool TryGetPendingChecksum(int index, out int start, out int offset)
        {
            (start, offset) = (0, 0);
            return false;
        }
    }
}
