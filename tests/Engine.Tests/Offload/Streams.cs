using Engine.Actors.Offload;
using Engine.Actors.Wire;
using Engine.Tests.Wire;
using Xunit;

namespace Engine.Tests.Offload;

/// <summary>Segment streams, coalescer runs and the super-frames they should turn into.</summary>
internal static class Streams
{
    /// <summary>
    /// <paramref name="sizes"/>.Length consecutive segments of one flow: sequence numbers and IPv4
    /// IDs running on, payload cut from one pattern so a merged payload is easy to predict.
    /// </summary>
    public static List<TcpSpec> Segments(TcpSpec first, params int[] sizes)
    {
        byte[] data = Packets.Pattern(sizes.Sum());
        var segments = new List<TcpSpec>();
        int offset = 0;
        for (int i = 0; i < sizes.Length; i++)
        {
            segments.Add(first with
            {
                Sequence = first.Sequence + (uint)offset,
                Id = (ushort)(first.Id + i),
                Payload = data[offset..(offset + sizes[i])],
            });
            offset += sizes[i];
        }
        return segments;
    }

    /// <summary>The super-frame a run of segments should merge into: the first one's headers, all payloads.</summary>
    public static byte[] Merged(IReadOnlyList<TcpSpec> run, TcpFlags flags)
    {
        var whole = run[0] with { Flags = flags, Payload = run.SelectMany(s => s.Payload).ToArray() };
        VirtioGsoType type = whole.IsIpv6 ? VirtioGsoType.TcpV6 : VirtioGsoType.TcpV4;
        return Reference.SuperFrame(whole.Build(), type, run[0].Payload.Length, 6);
    }

    /// <summary>Runs the coalescer and returns every output as written to the device.</summary>
    public static List<byte[]> Coalesce(IReadOnlyList<byte[]> packets, TcpCoalescer? coalescer = null, IReadOnlyList<(int Start, int Offset)?>? pending = null)
    {
        coalescer ??= new TcpCoalescer();
        var frames = new FrameList(packets, pending);
        int count = coalescer.Coalesce(frames);
        var outputs = new List<byte[]>();
        var buffer = new byte[VirtioNetHeader.Length + TcpCoalescer.MaxIpLength];
        for (int i = 0; i < count; i++)
        {
            Assert.True(coalescer.TryWrite(frames, i, buffer, out int written));
            Assert.Equal(coalescer[i].WireLength, written);
            outputs.Add(buffer[..written]);
        }
        return outputs;
    }

    public static List<byte[]> Coalesce(IEnumerable<TcpSpec> segments) =>
        Coalesce(segments.Select(s => s.Build()).ToList());

    /// <summary>A packet as it goes out unmerged: all-zero virtio header, then the packet.</summary>
    public static byte[] Unmerged(byte[] packet) => [.. new byte[VirtioNetHeader.Length], .. packet];

    /// <summary>Changes bytes of a built packet, then lets PacketDotNet fix the checksums.</summary>
    public static byte[] Mutated(byte[] packet, Action<byte[]> change)
    {
        var copy = packet.ToArray();
        change(copy);
        return Reference.WithChecksums(copy);
    }
}
