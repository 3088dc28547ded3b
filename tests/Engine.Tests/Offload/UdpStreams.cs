using Engine.Actors.Offload;
using Engine.Actors.Wire;
using Engine.Tests.Wire;
using Xunit;

namespace Engine.Tests.Offload;

/// <summary>Datagram runs, UDP coalescer runs and the UDP_L4 super-frames they should turn into.</summary>
internal static class UdpStreams
{
    /// <summary>
    /// <paramref name="sizes"/>.Length datagrams of one flow: IPv4 IDs running on, payloads cut
    /// from one pattern so a merged payload is easy to predict.
    /// </summary>
    public static List<UdpSpec> Datagrams(UdpSpec first, params int[] sizes)
    {
        byte[] data = Packets.Pattern(sizes.Sum());
        var datagrams = new List<UdpSpec>();
        int offset = 0;
        for (int i = 0; i < sizes.Length; i++)
        {
            datagrams.Add(first with { Id = (ushort)(first.Id + i), Payload = data[offset..(offset + sizes[i])] });
            offset += sizes[i];
        }
        return datagrams;
    }

    /// <summary>The super-frame a run of datagrams should merge into: the first one's headers, all payloads.</summary>
    public static byte[] Merged(IReadOnlyList<UdpSpec> run)
    {
        var whole = run[0] with { Payload = run.SelectMany(s => s.Payload).ToArray() };
        return Reference.SuperFrame(whole.Build(), VirtioGsoType.UdpL4, run[0].Payload.Length, 17);
    }

    /// <summary>Runs the coalescer and returns every output as written to the device.</summary>
    public static List<byte[]> Coalesce(IReadOnlyList<byte[]> packets, UdpCoalescer? coalescer = null, IReadOnlyList<(int Start, int Offset)?>? pending = null)
    {
        coalescer ??= new UdpCoalescer();
        var frames = new FrameList(packets, pending);
        int count = coalescer.Coalesce(frames);
        var outputs = new List<byte[]>();
        var buffer = new byte[VirtioNetHeader.Length + UdpCoalescer.MaxIpLength];
        for (int i = 0; i < count; i++)
        {
            Assert.True(coalescer.TryWrite(frames, i, buffer, out int written));
            Assert.Equal(coalescer[i].WireLength, written);
            outputs.Add(buffer[..written]);
        }
        return outputs;
    }

    public static List<byte[]> Coalesce(IEnumerable<UdpSpec> datagrams) =>
        Coalesce(datagrams.Select(s => s.Build()).ToList());
}
