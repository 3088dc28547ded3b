using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Engine.Actors.Wire;
using PacketDotNet;
using PacketDotNet.Utils;
using Engine.Tests.Wire;

namespace Engine.Tests.Offload;

/// <summary>
/// One TCP packet, described field by field; <see cref="Build"/> lays it out by hand and lets
/// PacketDotNet fill in the checksums, so the bytes do not depend on the code under test.
/// The address family follows <see cref="Source"/>.
/// </summary>
internal sealed record TcpSpec
{
    public string Source { get; init; } = "10.0.0.1";
    public string Destination { get; init; } = "10.0.0.2";
    public ushort SourcePort { get; init; } = 40000;
    public ushort DestinationPort { get; init; } = 5201;
    public uint Sequence { get; init; } = 1_000_000;
    public uint Acknowledgment { get; init; } = 77_000;
    public TcpFlags Flags { get; init; } = TcpFlags.Ack;
    public ushort Window { get; init; } = 502;
    public byte Ttl { get; init; } = 64;
    public byte TrafficClass { get; init; }
    public uint FlowLabel { get; init; }
    public ushort Id { get; init; } = 0x1000;
    public bool DontFragment { get; init; } = true;
    public byte[] IpOptions { get; init; } = [];
    public byte[] Options { get; init; } = [];
    public byte[] Payload { get; init; } = Packets.Pattern(1000);

    public bool IsIpv6 => IPAddress.Parse(Source).AddressFamily == AddressFamily.InterNetworkV6;

    public int IpHeaderLength => IsIpv6 ? 40 : 20 + IpOptions.Length;

    public int TcpHeaderLength => 20 + Options.Length;

    /// <summary>A timestamp option (NOP, NOP, kind 8) with the given TSval, 12 bytes.</summary>
    public static byte[] Timestamp(uint value)
    {
        var option = new byte[] { 1, 1, 8, 10, 0, 0, 0, 0, 0, 0, 0, 0 };
        BinaryPrimitives.WriteUInt32BigEndian(option.AsSpan(4), value);
        BinaryPrimitives.WriteUInt32BigEndian(option.AsSpan(8), 0xCAFE);
        return option;
    }

    public byte[] Build()
    {
        int tcpLength = TcpHeaderLength + Payload.Length;
        var bytes = new byte[IpHeaderLength + tcpLength];
        Span<byte> ip = bytes;
        if (IsIpv6)
        {
            BinaryPrimitives.WriteUInt32BigEndian(ip, 6u << 28 | (uint)TrafficClass << 20 | FlowLabel);
            BinaryPrimitives.WriteUInt16BigEndian(ip[4..], (ushort)tcpLength);
            ip[6] = 6;
            ip[7] = Ttl;
            IPAddress.Parse(Source).GetAddressBytes().CopyTo(ip[8..]);
            IPAddress.Parse(Destination).GetAddressBytes().CopyTo(ip[24..]);
        }
        else
        {
            ip[0] = (byte)(0x40 | IpHeaderLength / 4);
            ip[1] = TrafficClass;
            BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)bytes.Length);
            BinaryPrimitives.WriteUInt16BigEndian(ip[4..], Id);
            BinaryPrimitives.WriteUInt16BigEndian(ip[6..], DontFragment ? (ushort)0x4000 : (ushort)0);
            ip[8] = Ttl;
            ip[9] = 6;
            IPAddress.Parse(Source).GetAddressBytes().CopyTo(ip[12..]);
            IPAddress.Parse(Destination).GetAddressBytes().CopyTo(ip[16..]);
            IpOptions.CopyTo(ip[20..]);
        }

        Span<byte> tcp = bytes.AsSpan(IpHeaderLength);
        BinaryPrimitives.WriteUInt16BigEndian(tcp, SourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[2..], DestinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], Sequence);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[8..], Acknowledgment);
        tcp[12] = (byte)(TcpHeaderLength / 4 << 4);
        tcp[13] = (byte)Flags;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[14..], Window);
        Options.CopyTo(tcp[20..]);
        Payload.CopyTo(tcp[TcpHeaderLength..]);
        return Reference.WithChecksums(bytes);
    }
}
