using Engine.Actors.Wire;
using Xunit;
using static Engine.Tests.Wire.NdpMessages;

namespace Engine.Tests.Wire;

public class NeighborSolicitationTests
{
    private const string HostIp = "2001:db8::5";
    private const string RouterIp = "2001:db8::1";
    private const string RouterGroup = "ff02::1:ff00:1";

    private static byte[] Valid() => Frames.Solicitation(HostIp, RouterGroup, RouterIp, Frames.HostMac);

    private static byte[] HandBuilt(params byte[][] options) =>
        Frames.InFrame(Frames.HostMac, "33:33:ff:00:00:01", HostIp, RouterGroup, 255,
            Message(NeighborDiscovery.TypeNeighborSolicitation, RouterIp, options));

    [Fact]
    public void Reads_a_multicast_solicitation_built_by_PacketDotNet()
    {
        byte[] frame = Valid();
        Assert.True(Frames.ParseNdp(frame).Icmp.ValidIcmpChecksum);

        Assert.True(TryParseSolicitation(frame, out var ns));
        Assert.Equal(Packets.V6(RouterIp), ns.Target);
        Assert.Equal(MacAddress.Parse(Frames.HostMac), ns.SourceLinkLayerAddress);
        Assert.False(ns.IsDuplicateAddressDetection);
        Assert.Equal(32, ns.Bytes.Length);
        Assert.Equal(frame[54..], ns.Bytes.ToArray());
    }

    [Fact]
    public void Reads_a_unicast_solicitation_without_a_source_link_layer_option()
    {
        // Neighbour unreachability detection probes the cached MAC directly (RFC 4861 §7.3.1).
        byte[] frame = Frames.Solicitation(HostIp, RouterIp, RouterIp, sourceLinkLayer: null, destinationMac: Frames.RouterMac);

        Assert.True(TryParseSolicitation(frame, out var ns));
        Assert.Equal(Packets.V6(RouterIp), ns.Target);
        Assert.Null(ns.SourceLinkLayerAddress);
        Assert.False(ns.IsDuplicateAddressDetection);
    }

    [Fact]
    public void Reads_a_duplicate_address_detection_probe()
    {
        byte[] frame = Frames.Solicitation("::", "ff02::1:ff00:5", HostIp, sourceLinkLayer: null);

        Assert.True(TryParseSolicitation(frame, out var ns));
        Assert.True(ns.IsDuplicateAddressDetection);
        Assert.Equal(Packets.V6(HostIp), ns.Target);
        Assert.Null(ns.SourceLinkLayerAddress);
    }

    [Fact]
    public void Ignores_bytes_after_the_ipv6_packet()
    {
        byte[] frame = Packets.InBuffer(Valid(), Valid().Length + 11);

        Assert.True(TryParseSolicitation(frame, out var ns));
        Assert.Equal(32, ns.Bytes.Length);
    }

    [Fact]
    public void Skips_unknown_options_and_keeps_the_first_source_link_layer_address()
    {
        byte[] nonce = [14, 1, 1, 2, 3, 4, 5, 6];
        byte[] frame = HandBuilt(
            nonce,
            LinkLayerOption(NeighborDiscovery.OptionTargetLinkLayerAddress, "02:99:99:99:99:99"),
            LinkLayerOption(NeighborDiscovery.OptionSourceLinkLayerAddress, Frames.HostMac),
            LinkLayerOption(NeighborDiscovery.OptionSourceLinkLayerAddress, "02:77:77:77:77:77"));

        Assert.True(TryParseSolicitation(frame, out var ns));
        Assert.Equal(MacAddress.Parse(Frames.HostMac), ns.SourceLinkLayerAddress);
    }

    [Theory]
    [InlineData(254)]
    [InlineData(64)]
    [InlineData(1)]
    public void Rejects_a_hop_limit_below_255(byte hopLimit)
    {
        byte[] frame = Frames.Solicitation(HostIp, RouterGroup, RouterIp, Frames.HostMac, hopLimit);
        Assert.True(Frames.IcmpV6ChecksumValid(frame));

        Assert.False(TryParseSolicitation(frame, out _));
    }

    [Fact]
    public void Rejects_a_bad_checksum()
    {
        byte[] frame = Valid();
        MessageOf(frame)[23] ^= 0x01;

        Assert.False(Frames.ParseNdp(frame).Icmp.ValidIcmpChecksum);
        Assert.False(TryParseSolicitation(frame, out _));
    }

    [Fact]
    public void Rejects_a_checksum_that_ignores_the_pseudo_header()
    {
        byte[] frame = Valid();
        frame[14 + 8 + 15] ^= 0x01; // source address: only the pseudo-header covers it

        Assert.False(TryParseSolicitation(frame, out _));
    }

    [Fact]
    public void Rejects_a_nonzero_code()
    {
        byte[] frame = Valid();
        MessageOf(frame)[1] = 1;
        Frames.RefillIcmpV6Checksum(frame);

        Assert.False(TryParseSolicitation(frame, out _));
    }

    [Fact]
    public void Rejects_a_message_shorter_than_24_bytes()
    {
        byte[] message = Message(NeighborDiscovery.TypeNeighborSolicitation, RouterIp)[..20];
        byte[] frame = Frames.InFrame(Frames.HostMac, "33:33:ff:00:00:01", HostIp, RouterGroup, 255, message);
        Assert.True(Frames.IcmpV6ChecksumValid(frame));

        Assert.False(TryParseSolicitation(frame, out _));
    }

    [Fact]
    public void Rejects_a_multicast_target()
    {
        byte[] frame = Frames.Solicitation(HostIp, RouterGroup, "ff02::1", Frames.HostMac);

        Assert.False(TryParseSolicitation(frame, out _));
    }

    [Fact]
    public void Rejects_an_option_of_length_zero()
    {
        byte[] frame = HandBuilt([NeighborDiscovery.OptionSourceLinkLayerAddress, 0, 2, 0xaa, 0xbb, 0xcc, 0xdd, 0x01]);
        Assert.True(Frames.IcmpV6ChecksumValid(frame));

        Assert.False(TryParseSolicitation(frame, out _));
    }

    [Fact]
    public void Rejects_an_unknown_option_of_length_zero()
    {
        byte[] frame = HandBuilt(LinkLayerOption(NeighborDiscovery.OptionSourceLinkLayerAddress, Frames.HostMac), [14, 0, 0, 0, 0, 0, 0, 0]);

        Assert.False(TryParseSolicitation(frame, out _));
    }

    [Fact]
    public void Rejects_an_option_longer_than_what_is_left()
    {
        byte[] frame = HandBuilt([14, 2, 0, 0, 0, 0, 0, 0]);
        Assert.True(Frames.IcmpV6ChecksumValid(frame));

        Assert.False(TryParseSolicitation(frame, out _));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public void Rejects_trailing_bytes_that_cannot_hold_an_option(int length)
    {
        byte[] tail = new byte[length];
        tail[0] = 14;
        byte[] frame = HandBuilt(LinkLayerOption(NeighborDiscovery.OptionSourceLinkLayerAddress, Frames.HostMac), tail);

        Assert.False(TryParseSolicitation(frame, out _));
    }

    [Fact]
    public void Rejects_a_source_link_layer_option_not_sized_for_ethernet()
    {
        byte[] sixteen = [NeighborDiscovery.OptionSourceLinkLayerAddress, 2, 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0x01, 0, 0, 0, 0, 0, 0, 0, 0];
        byte[] frame = HandBuilt(sixteen);

        Assert.False(TryParseSolicitation(frame, out _));
    }

    [Fact]
    public void Rejects_duplicate_address_detection_with_a_source_link_layer_option()
    {
        byte[] frame = Frames.Solicitation("::", "ff02::1:ff00:5", HostIp, Frames.HostMac);

        Assert.False(TryParseSolicitation(frame, out _));
    }

    [Fact]
    public void Rejects_duplicate_address_detection_not_sent_to_a_solicited_node_group()
    {
        byte[] frame = Frames.Solicitation("::", "ff02::1", HostIp, sourceLinkLayer: null);

        Assert.False(TryParseSolicitation(frame, out _));
    }

    [Fact]
    public void Rejects_other_icmpv6_messages()
    {
        byte[] advertisement = Frames.Advertisement(HostIp, RouterIp, HostIp, Frames.HostMac, router: false, solicited: true, @override: true);
        byte[] echo = Frames.InFrame(Frames.HostMac, Frames.RouterMac, HostIp, RouterIp, 255,
            Message(128, RouterIp));

        Assert.False(TryParseSolicitation(advertisement, out _));
        Assert.False(TryParseSolicitation(echo, out _));
    }

    [Fact]
    public void Rejects_a_packet_that_does_not_carry_icmpv6_right_after_the_header()
    {
        byte[] frame = Valid();
        frame[14 + 6] = (byte)IpProtocol.Udp;

        Assert.False(TryParseSolicitation(frame, out _));
    }
}
