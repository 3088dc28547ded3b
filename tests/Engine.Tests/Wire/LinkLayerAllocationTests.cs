using Engine.Actors.Wire;
using Xunit;
using PdnArpOperation = PacketDotNet.ArpOperation;

namespace Engine.Tests.Wire;

public class LinkLayerAllocationTests
{
    private static readonly MacAddress Router = MacAddress.Parse(Frames.RouterMac);

    private static long Run(byte[] arpFrame, byte[] solicitationFrame, byte[] advertisementFrame, byte[] output)
    {
        long total = 0;

        EthernetFrame.TryParse(arpFrame, out var ethernet);
        total += ethernet.EtherType + (long)ethernet.SourceAddress.Value + (ethernet.IsVlanTagged ? 1 : 0);
        ArpPacket.TryParse(ethernet.Payload, out var arp);
        total += (long)arp.Operation + arp.SenderIp + (long)arp.SenderMac.Value + arp.TargetIp;
        total += ArpPacket.WriteReply(output, Router, arp.TargetIp, arp.SenderMac, arp.SenderIp);
        total += ArpPacket.WriteRequest(output, Router, arp.TargetIp, arp.SenderIp + 1);

        EthernetFrame.TryParse(solicitationFrame, out ethernet);
        Ipv6Packet.TryParse(ethernet.Payload, out var ip);
        NeighborSolicitation.TryParse(ip, out var ns);
        total += (long)(ns.Target & 0xFFFF) + (long)(ns.SourceLinkLayerAddress?.Value ?? 0);
        total += NeighborDiscovery.WriteAdvertisement(output, Router, ns.Target, ns.SourceLinkLayerAddress!.Value, ip.SourceAddress, ns.Target, true, true);
        total += NeighborDiscovery.WriteSolicitation(output, Router, ns.Target, ip.SourceAddress);

        EthernetFrame.TryParse(advertisementFrame, out ethernet);
        Ipv6Packet.TryParse(ethernet.Payload, out ip);
        NeighborAdvertisement.TryParse(ip, out var na);
        total += (long)(na.Target & 0xFFFF) + (na.Solicited ? 1 : 0) + (long)(na.TargetLinkLayerAddress?.Value ?? 0);

        EthernetFrame.WriteHeader(output, MacAddress.ForIpv6Multicast(NeighborDiscovery.SolicitedNodeAddress(na.Target)), Router, EtherType.Ipv6);
        total += output[0];
        return total;
    }

    [Fact]
    public void Parsing_and_building_arp_and_neighbor_discovery_allocate_nothing()
    {
        byte[] arp = Frames.Arp(PdnArpOperation.Request, Frames.HostMac, "10.0.0.5", "00:00:00:00:00:00", "10.0.0.1");
        byte[] ns = Frames.Solicitation("2001:db8::5", "ff02::1:ff00:1", "2001:db8::1", Frames.HostMac);
        byte[] na = Frames.Advertisement("2001:db8::5", "2001:db8::1", "2001:db8::5", Frames.HostMac, router: false, solicited: true, @override: true);
        var output = new byte[1514];

        var (allocated, result) = SteadyState.Measure(() => Run(arp, ns, na, output));

        Assert.Equal(0, allocated);
        Assert.NotEqual(0, result);
    }
}
