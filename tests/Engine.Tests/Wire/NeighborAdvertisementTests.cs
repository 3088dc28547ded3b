using Engine.Actors.Wire;
using Xunit;
using static Engine.Tests.Wire.NdpMessages;

namespace Engine.Tests.Wire;

public class NeighborAdvertisementTests
{
    private const string HostIp = "2001:db8::5";
    private const string RouterIp = "2001:db8::1";

    private static byte[] Valid(bool router = false, bool solicited = true, bool @override = true) =>
        Frames.Advertisement(HostIp, RouterIp, HostIp, Frames.HostMac, router, solicited, @override);

    [Theory]
    [InlineData(false, false, false)]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    [InlineData(false, false, true)]
    [InlineData(true, true, true)]
    public void Reads_an_advertisement_built_by_PacketDotNet(bool router, bool solicited, bool @override)
    {
        byte[] frame = Valid(router, solicited, @override);
        Assert.True(Frames.ParseNdp(frame).Icmp.ValidIcmpChecksum);

        Assert.True(TryParseAdvertisement(frame, out var na));
        Assert.Equal(Packets.V6(HostIp), na.Target);
        Assert.Equal(router, na.Router);
        Assert.Equal(solicited, na.Solicited);
        Assert.Equal(@override, na.Override);
        Assert.Equal(MacAddress.Parse(Frames.HostMac), na.TargetLinkLayerAddress);
        Assert.Equal(frame[54..], na.Bytes.ToArray());
    }

    [Fact]
    public void Reads_a_solicited_advertisement_without_a_target_link_layer_option()
    {
        byte[] frame = Frames.Advertisement(HostIp, RouterIp, HostIp, targetLinkLayer: null, router: false, solicited: true, @override: false);

        Assert.True(TryParseAdvertisement(frame, out var na));
        Assert.Null(na.TargetLinkLayerAddress);
        Assert.Equal(24, na.Bytes.Length);
    }

    [Fact]
    public void Reads_an_unsolicited_advertisement_to_all_nodes()
    {
        byte[] frame = Frames.Advertisement(HostIp, "ff02::1", HostIp, Frames.HostMac, router: false, solicited: false, @override: true, destinationMac: "33:33:00:00:00:01");

        Assert.True(TryParseAdvertisement(frame, out var na));
        Assert.False(na.Solicited);
        Assert.Equal(MacAddress.Parse(Frames.HostMac), na.TargetLinkLayerAddress);
    }

    [Fact]
    public void Rejects_a_solicited_advertisement_to_a_multicast_group()
    {
        byte[] frame = Frames.Advertisement(HostIp, "ff02::1", HostIp, Frames.HostMac, router: false, solicited: true, @override: true, destinationMac: "33:33:00:00:00:01");

        Assert.False(TryParseAdvertisement(frame, out _));
    }

    [Fact]
    public void Ignores_a_source_link_layer_option_and_reads_the_target_one()
    {
        byte[] message = Message(NeighborDiscovery.TypeNeighborAdvertisement, HostIp,
            LinkLayerOption(NeighborDiscovery.OptionSourceLinkLayerAddress, "02:99:99:99:99:99"),
            LinkLayerOption(NeighborDiscovery.OptionTargetLinkLayerAddress, Frames.HostMac));
        message[4] = 0x60; // solicited, override
        byte[] frame = Frames.InFrame(Frames.HostMac, Frames.RouterMac, HostIp, RouterIp, 255, message);

        Assert.True(TryParseAdvertisement(frame, out var na));
        Assert.Equal(MacAddress.Parse(Frames.HostMac), na.TargetLinkLayerAddress);
        Assert.True(na.Solicited);
        Assert.True(na.Override);
        Assert.False(na.Router);
    }

    [Fact]
    public void Rejects_a_hop_limit_below_255()
    {
        byte[] frame = Frames.Advertisement(HostIp, RouterIp, HostIp, Frames.HostMac, false, true, true, hopLimit: 64);

        Assert.False(TryParseAdvertisement(frame, out _));
    }

    [Fact]
    public void Rejects_a_bad_checksum()
    {
        byte[] frame = Valid();
        MessageOf(frame)[4] ^= 0x80;

        Assert.False(TryParseAdvertisement(frame, out _));
    }

    [Fact]
    public void Rejects_a_nonzero_code()
    {
        byte[] frame = Valid();
        MessageOf(frame)[1] = 3;
        Frames.RefillIcmpV6Checksum(frame);

        Assert.False(TryParseAdvertisement(frame, out _));
    }

    [Fact]
    public void Rejects_a_multicast_target()
    {
        byte[] frame = Frames.Advertisement(HostIp, RouterIp, "ff02::1:ff00:5", Frames.HostMac, false, true, true);

        Assert.False(TryParseAdvertisement(frame, out _));
    }

    [Fact]
    public void Rejects_a_target_link_layer_option_of_length_zero()
    {
        byte[] frame = Valid();
        MessageOf(frame)[25] = 0;
        Frames.RefillIcmpV6Checksum(frame);

        Assert.False(TryParseAdvertisement(frame, out _));
    }

    [Fact]
    public void Rejects_a_truncated_target_link_layer_option()
    {
        byte[] message = Message(NeighborDiscovery.TypeNeighborAdvertisement, HostIp,
            LinkLayerOption(NeighborDiscovery.OptionTargetLinkLayerAddress, Frames.HostMac)[..6]);
        byte[] frame = Frames.InFrame(Frames.HostMac, Frames.RouterMac, HostIp, RouterIp, 255, message);
        Assert.True(Frames.IcmpV6ChecksumValid(frame));

        Assert.False(TryParseAdvertisement(frame, out _));
    }

    [Fact]
    public void Rejects_a_solicitation()
    {
        byte[] frame = Frames.Solicitation(HostIp, "ff02::1:ff00:1", RouterIp, Frames.HostMac);

        Assert.False(TryParseAdvertisement(frame, out _));
    }
}
