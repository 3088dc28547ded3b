using System.Buffers.Binary;
using System.Net;
using PacketDotNet;
using Engine.Tests.Wire;

namespace Engine.Tests.Offload;

/// <summary>
/// A UDP packet built by PacketDotNet, the IP fields it does not set patched in by hand,
/// checksums filled; the family follows <see cref="Source"/>.
/// </summary>
internal sealed record UdpSpec
{
    public string Source { get; init; } = "10.0.0.1";
    public string Destination { get; init; } = "10.0.0.2";
    public ushort SourcePort { get; init; } = 4500;
    public ushort DestinationPort { get; init; } = 4501;
    public ushort Id { get; init; } = 0x2000;
    public byte Ttl { get; init; } = 64;
    public byte TrafficClass { get; init; }
    public uint FlowLabel { get; init; }
    public bool DontFragment { get; init; }
    public byte[] IpOptions { get; init; } = [];
    public byte[] Payload { get; init; } = Packets.Pattern(3000);

    public bool IsIpv6 => IPAddress.Parse(Source).AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;

    public byte[] Build()
    {
        var udp = new UdpPacket(SourcePort, DestinationPort) { PayloadData = Payload };
        IPPacket ip = IsIpv6
            ? new IPv6Packet(IPAddress.Parse(Source), IPAddress.Parse(Destination)) { HopLimit = Ttl }
            : new IPv4Packet(IPAddress.Parse(Source), IPAddress.Parse(Destination)) { TimeToLive = Ttl, Id = Id };
        ip.PayloadPacket = udp;
        ip.UpdateCalculatedValues();
        byte[] bytes = ip.Bytes;
        if (IsIpv6)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, 6u << 28 | (uint)TrafficClass << 20 | FlowLabel);
        }
        else
        {
            bytes[1] = TrafficClass;
            bytes[6] = (byte)(DontFragment ? bytes[6] | 0x40 : bytes[6] & ~0x40);
            if (IpOptions.Length > 0)
            {
                bytes = [.. bytes[..20], .. IpOptions, .. bytes[20..]];
                bytes[0] = (byte)(0x40 | (20 + IpOptions.Length) / 4);
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), (ushort)bytes.Length);
            }
        }
        return Reference.WithChecksums(bytes);
    }
}
