using Engine.Actors.Offload;
using Engine.Actors.Wire;
using Engine.Tests.Wire;
using Xunit;

namespace Engine.Tests.Offload;

/// <summary>A UDP_L4 super-frame the kernel hands out, cut and merged again, is what the kernel handed out.</summary>
public class UdpSegmentCoalesceRoundTripTests
{
    private static readonly Dictionary<string, (UdpSpec Spec, int GsoSize)> Cases = new()
    {
        ["v4, short tail"] = (new UdpSpec { Payload = Packets.Pattern(10 * 1200 + 77) }, 1200),
        ["v4 with DF, exact multiple"] = (new UdpSpec { DontFragment = true, Payload = Packets.Pattern(8 * 1472) }, 1472),
        ["v4, IDs wrapping"] = (new UdpSpec { Id = 0xFFFD, Payload = Packets.Pattern(6 * 1000) }, 1000),
        ["v6, flow label"] = (new UdpSpec { Source = "fd00::1", Destination = "fd00::2", FlowLabel = 0xABCDE, TrafficClass = 0x20, Payload = Packets.Pattern(12 * 1232 + 1) }, 1232),
        ["v4, 64 small datagrams"] = (new UdpSpec { Payload = Packets.Pattern(64 * 100) }, 100),
        ["v4, 64 KiB"] = (new UdpSpec { Payload = Packets.Pattern(65535 - 28) }, 1472),
        ["v6, 64 KiB"] = (new UdpSpec { Source = "fd00::1", Destination = "fd00::2", Payload = Packets.Pattern(65535 - 40 - 8) }, 1452),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Segmenting_then_coalescing_gives_back_the_super_frame(string name)
    {
        var (spec, gsoSize) = Cases[name];
        byte[] original = Reference.SuperFrame(spec.Build(), VirtioGsoType.UdpL4, gsoSize, 17);

        var datagrams = GsoSegmenterTests.SegmentFrame(original);
        var outputs = UdpStreams.Coalesce(datagrams);

        Assert.True(datagrams.Count > 1, name);
        Assert.All(datagrams, d => Assert.True(Reference.ChecksumsValid(d)));
        Assert.Equal(original, Assert.Single(outputs));
    }

    [Fact]
    public void Segmenting_what_was_coalesced_gives_back_the_datagrams()
    {
        var run = UdpStreams.Datagrams(new UdpSpec { Source = "fd00::1", Destination = "fd00::2" }, 900, 900, 900, 900, 250);
        var packets = run.Select(s => s.Build()).ToList();

        byte[] merged = Assert.Single(UdpStreams.Coalesce(packets));

        Assert.Equal(packets, GsoSegmenterTests.SegmentFrame(merged));
    }
}
