using System.Buffers.Binary;
using Engine.Actors.Wire;
using PacketDotNet;
using PacketDotNet.Utils;

namespace Engine.Tests.Offload;

/// <summary>
/// Checksums and super-frames computed without the code under test: PacketDotNet for full
/// checksums, a word-by-word loop for the pseudo-header sum a NEEDS_CSUM packet carries.
/// </summary>
internal static class Reference
{
    /// <summary>Fills the IPv4 header checksum and the TCP/UDP checksum through PacketDotNet.</summary>
    public static byte[] WithChecksums(byte[] packet)
    {
        var ip = Parse(packet);
        switch (ip.PayloadPacket)
        {
            case TcpPacket tcp: tcp.UpdateTcpChecksum(); break;
            case UdpPacket udp: udp.UpdateUdpChecksum(); break;
        }
        if (ip is IPv4Packet v4) v4.UpdateIPChecksum();
        return ip.Bytes;
    }

    public static IPPacket Parse(byte[] packet) =>
        packet[0] >> 4 == 6
            ? new IPv6Packet(new ByteArraySegment(packet))
            : new IPv4Packet(new ByteArraySegment(packet));

    /// <summary>True when PacketDotNet finds every checksum of the packet right.</summary>
    public static bool ChecksumsValid(byte[] packet)
    {
        var ip = Parse(packet);
        bool transport = ip.PayloadPacket switch
        {
            TcpPacket tcp => tcp.ValidTcpChecksum,
            UdpPacket udp => udp.ValidUdpChecksum,
            _ => false,
        };
        return transport && (ip is not IPv4Packet v4 || v4.ValidIPChecksum);
    }

    /// <summary>The folded pseudo-header sum, as the kernel leaves it in a CHECKSUM_PARTIAL field.</summary>
    public static ushort PseudoHeaderSum(byte[] packet, int transportLength, byte protocol)
    {
        bool v6 = packet[0] >> 4 == 6;
        var words = new List<int>();
        int addresses = v6 ? 8 : 12;
        int end = v6 ? 40 : 20;
        for (int i = addresses; i < end; i += 2)
            words.Add(packet[i] << 8 | packet[i + 1]);
        words.Add(protocol);
        words.Add(transportLength >> 16);
        words.Add(transportLength & 0xFFFF);
        long sum = words.Sum(w => (long)w);
        while (sum > 0xFFFF)
            sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)sum;
    }

    /// <summary>
    /// A super-frame as a tun device with offloads would hand it over: virtio header (NEEDS_CSUM,
    /// real hdr_len) then the packet with the partial checksum in its TCP/UDP checksum field.
    /// </summary>
    public static byte[] SuperFrame(byte[] packet, VirtioGsoType type, int gsoSize, byte protocol)
    {
        int transportOffset = packet[0] >> 4 == 6 ? 40 : (packet[0] & 0x0F) * 4;
        int transportHeader = protocol == 6 ? (packet[transportOffset + 12] >> 4) * 4 : 8;
        int checksumOffset = protocol == 6 ? 16 : 6;
        var frame = new byte[VirtioNetHeader.Length + packet.Length];
        packet.CopyTo(frame, VirtioNetHeader.Length);
        VirtioNetHeader.Write(frame, VirtioNetFlags.NeedsChecksum, type,
            (ushort)(transportOffset + transportHeader), (ushort)gsoSize, (ushort)transportOffset, (ushort)checksumOffset);
        ushort partial = PseudoHeaderSum(packet, packet.Length - transportOffset, protocol);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(VirtioNetHeader.Length + transportOffset + checksumOffset), partial);
        return frame;
    }

    /// <summary>
    /// <paramref name="packet"/> as a local sender's kernel hands it to a tun with offloads: the
    /// transport checksum left pending (the pseudo-header sum in its field), and where that sits.
    /// </summary>
    public static (byte[] Packet, (int Start, int Offset)? Pending) WithPendingChecksum(byte[] packet, byte protocol)
    {
        int transportOffset = packet[0] >> 4 == 6 ? 40 : (packet[0] & 0x0F) * 4;
        int checksumOffset = protocol == 6 ? 16 : 6;
        var copy = packet.ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(transportOffset + checksumOffset),
            PseudoHeaderSum(packet, packet.Length - transportOffset, protocol));
        return (copy, (transportOffset, checksumOffset));
    }
}
