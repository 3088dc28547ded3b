using System.Net;
using PacketDotNet;
using Engine.Tests.Wire;

namespace Engine.Tests.Offload;

/// <summary>A UDP packet built by PacketDotNet, checksums filled; the family follows <see cref="Source"/>.</summary>
internal sealed record UdpSpec
{
    public string Source { get; init; } = "10.0.0.1";
    public string Destination { get; init; } = "10.0.0.2";
    public ushort SourcePort { get; init; } = 4500;
    public ushort DestinationPort { get; init; } = 4501;
    public ushort Id { get; init; } = 0x2000;
    public byte[] Payload { get; init; } = Packets.Pattern(3000);

    public byte[] Build()
    {
        var udp = new UdpPacket(SourcePort, DestinationPort) { PayloadData = Payload };
        IPPacket ip = IPAddress.Parse(Source).AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? new IPv6Packet(IPAddress.Parse(Source), IPAddress.Parse(Destination)) { HopLimit = 64 }
            : new IPv4Packet(IPAddress.Parse(Source), IPAddress.Parse(Destination)) { TimeToLive = 64, Id = Id };
        ip.PayloadPacket = udp;
        ip.UpdateCalculatedValues();
        return Reference.WithChecksums(ip.Bytes);
    }
}
