using System.Buffers.Binary;
using Engine.Actors.Wire;

namespace Engine.Actors.Offload;

/// <summary>
/// Cuts a TCP (IPv4/IPv6) or UDP_L4 super-frame, as a tun device with offloads hands it over,
/// into packets of at most gso_size payload bytes each, as the kernel's TSO/USO would have put
/// them on the wire: per segment the IP length (and for IPv4 an incremented ID and a fresh
/// header checksum), the TCP sequence number or UDP length, and a complete TCP/UDP checksum.
/// TCP FIN and PSH stay on the last segment only, CWR on the first only.
/// </summary>
public static class GsoSegmenter
{
    private const byte LastOnlyFlags = (byte)(TcpFlags.Fin | TcpFlags.Psh);
    private const byte FirstOnlyFlags = (byte)TcpFlags.Cwr;

    /// <summary>
    /// Writes the segments of <paramref name="packet"/> into buffers from <paramref name="sink"/>.
    /// <paramref name="layout"/> must come from a <see cref="VirtioNetHeader.Validate"/> of this
    /// packet that returned <see cref="VirtioHeaderCheck.Valid"/>. <paramref name="segments"/>
    /// counts the segments committed.
    /// </summary>
    public static SegmentResult Segment<TSink>(ReadOnlySpan<byte> packet, in VirtioFrameLayout layout, ref TSink sink, out int segments)
        where TSink : ISegmentSink, allows ref struct
    {
        segments = 0;
        if (!layout.IsGso)
            return SegmentResult.NotGso;

        int headersLength = layout.HeadersLength;
        int transportOffset = layout.TransportOffset;
        int gsoSize = layout.GsoSize;
        bool tcp = layout.Protocol == IpProtocol.Tcp;
        bool v4 = layout.IpVersion == 4;
        ReadOnlySpan<byte> headers = packet[..headersLength];
        ReadOnlySpan<byte> payload = packet[headersLength..layout.PacketLength];
        ushort firstId = v4 ? BinaryPrimitives.ReadUInt16BigEndian(packet[Ipv4Packet.Field.Identification..]) : (ushort)0;
        uint firstSequence = tcp ? BinaryPrimitives.ReadUInt32BigEndian(packet[(transportOffset + TcpSegment.Field.SequenceNumber)..]) : 0;
        int count = layout.SegmentCount;

        for (int i = 0; i < count; i++)
        {
            int start = i * gsoSize;
            int payloadLength = Math.Min(gsoSize, payload.Length - start);
            int length = headersLength + payloadLength;
            Span<byte> space = sink.Reserve(length);
            if (space.Length < length)
                return SegmentResult.OutOfBuffers;

            Span<byte> segment = space[..length];
            headers.CopyTo(segment);
            payload.Slice(start, payloadLength).CopyTo(segment[headersLength..]);

            if (v4)
                BinaryPrimitives.WriteUInt16BigEndian(segment[Ipv4Packet.Field.Identification..], (ushort)(firstId + i));
            IpLength.Write(segment, length, isIpv6: !v4, transportOffset);

            Span<byte> transport = segment[transportOffset..];
            if (tcp)
            {
                BinaryPrimitives.WriteUInt32BigEndian(transport[TcpSegment.Field.SequenceNumber..], firstSequence + (uint)start);
                if (i > 0)
                    transport[TcpSegment.Field.Flags] &= unchecked((byte)~FirstOnlyFlags);
                if (i < count - 1)
                    transport[TcpSegment.Field.Flags] &= unchecked((byte)~LastOnlyFlags);
            }
            else
            {
                BinaryPrimitives.WriteUInt16BigEndian(transport[UdpDatagram.Field.Length..], (ushort)transport.Length);
            }
            TransportChecksum.Fill(segment, transportOffset, layout.Protocol);

            sink.Commit(length);
            segments++;
        }
        return SegmentResult.Done;
    }
}
