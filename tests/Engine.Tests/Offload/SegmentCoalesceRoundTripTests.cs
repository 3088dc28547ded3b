using Engine.Actors.Offload;
using Engine.Actors.Wire;
using Engine.Tests.Wire;
using Xunit;

namespace Engine.Tests.Offload;

/// <summary>What the kernel hands out, cut and merged again, is what the kernel handed out.</summary>
public class SegmentCoalesceRoundTripTests
{
    private static readonly Dictionary<string, (TcpSpec Spec, int GsoSize)> Cases = new()
    {
        ["v4, timestamps, PSH, short tail"] = (new TcpSpec { Options = TcpSpec.Timestamp(1), Flags = TcpFlags.Ack | TcpFlags.Psh, Payload = Packets.Pattern(10 * 1448 + 500) }, 1448),
        ["v6, exact multiple"] = (new TcpSpec { Source = "fd00::1", Destination = "fd00::2", FlowLabel = 0xABCDE, Payload = Packets.Pattern(8 * 1428) }, 1428),
        ["v4 without DF"] = (new TcpSpec { DontFragment = false, Id = 0xFFF0, Payload = Packets.Pattern(30 * 1000) }, 1000),
        ["v4, 64 KiB"] = (new TcpSpec { Options = TcpSpec.Timestamp(2), Payload = Packets.Pattern(65535 - 52) }, 1448),
        ["v6, 64 KiB"] = (new TcpSpec { Source = "fd00::1", Destination = "fd00::2", Payload = Packets.Pattern(65535 - 40 - 20) }, 1440),
        ["sequence wrapping"] = (new TcpSpec { Sequence = uint.MaxValue - 3000, Payload = Packets.Pattern(9000) }, 1400),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Segmenting_then_coalescing_gives_back_the_super_frame(string name)
    {
        var (spec, gsoSize) = Cases[name];
        byte[] original = SuperFrame(spec, gsoSize);

        var segments = GsoSegmenterTests.SegmentFrame(original);
        var outputs = Streams.Coalesce(segments);

        Assert.True(segments.Count > 1, name);
        Assert.Equal(original, Assert.Single(outputs));
    }

    [Fact]
    public void Interleaved_segments_of_two_super_frames_come_back_as_both()
    {
        byte[] a = SuperFrame(new TcpSpec { Payload = Packets.Pattern(20 * 1448) }, 1448);
        byte[] b = SuperFrame(new TcpSpec { Source = "fd00::1", Destination = "fd00::2", Payload = Packets.Pattern(20 * 1200) }, 1200);
        var sa = GsoSegmenterTests.SegmentFrame(a);
        var sb = GsoSegmenterTests.SegmentFrame(b);
        var interleaved = sa.Zip(sb).SelectMany(p => new[] { p.First, p.Second }).ToList();

        Assert.Equal([a, b], Streams.Coalesce(interleaved));
    }

    private static byte[] SuperFrame(TcpSpec spec, int gsoSize) =>
        Reference.SuperFrame(spec.Build(), spec.IsIpv6 ? VirtioGsoType.TcpV6 : VirtioGsoType.TcpV4, gsoSize, 6);
}
