using System.Buffers.Binary;

namespace Engine.Actors.Wire;

/// <summary>
/// A view of struct virtio_net_hdr (include/uapi/linux/virtio_net.h), the 10 bytes a tun/tap
/// device opened with IFF_VNET_HDR puts in front of every frame. Fields are little-endian: the
/// kernel uses the host's order for the default header size, and the engine runs on
/// little-endian machines only.
///
/// Everything in it is a claim about the packet behind it. <see cref="Validate"/> checks the
/// claims against the packet and recomputes what the data path relies on; hdr_len is never
/// trusted (the kernel fills it with the length of the skb's linear part, not the headers).
///
/// The ECN bit on gso_type says the super-frame carries CWR. It is accepted on TCPV4/TCPV6
/// only (the kernel refuses it with NONE and it means nothing for UDP) and needs no action:
/// segmentation keeps CWR on the first segment alone, for every TCP super-frame.
/// </summary>
public readonly ref struct VirtioNetHeader
{
    public const int Length = 10;

    /// <summary>The gso_type bit that marks a TCP super-frame with CWR set.</summary>
    public const byte EcnBit = 0x80;

    /// <summary>Byte offsets of the fields.</summary>
    public static class Field
    {
        public const int Flags = 0;
        public const int GsoType = 1;
        public const int HeaderLength = 2;
        public const int GsoSize = 4;
        public const int ChecksumStart = 6;
        public const int ChecksumOffset = 8;
    }

    private const VirtioNetFlags KnownFlags = VirtioNetFlags.NeedsChecksum | VirtioNetFlags.DataValid;
    private const int TcpChecksumOffset = TcpSegment.Field.Checksum;
    private const int UdpChecksumOffset = UdpDatagram.Field.Checksum;

    /// <summary>The smallest MSS Linux sends TCP with (TCP_MIN_SND_MSS, the floor of net.ipv4.tcp_min_snd_mss).</summary>
    public const int MinTcpGsoSize = 48;

    /// <summary>The most segments Linux puts in one UDP super-frame (UDP_MAX_SEGMENTS).</summary>
    public const int MaxUdpSegments = 128;

    private readonly ReadOnlySpan<byte> _bytes;

    private VirtioNetHeader(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    /// <summary>Views the first <see cref="Length"/> bytes of <paramref name="bytes"/>; false when there are fewer.</summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out VirtioNetHeader header)
    {
        if (bytes.Length < Length)
        {
            header = default;
            return false;
        }
        header = new VirtioNetHeader(bytes[..Length]);
        return true;
    }

    public VirtioNetFlags Flags => (VirtioNetFlags)_bytes[Field.Flags];

    public bool NeedsChecksum => (Flags & VirtioNetFlags.NeedsChecksum) != 0;

    /// <summary>The segmentation type without the ECN bit.</summary>
    public VirtioGsoType GsoType => (VirtioGsoType)(_bytes[Field.GsoType] & ~EcnBit);

    public bool Ecn => (_bytes[Field.GsoType] & EcnBit) != 0;

    /// <summary>hdr_len as sent: a hint, never trusted.</summary>
    public ushort HeaderLength => BinaryPrimitives.ReadUInt16LittleEndian(_bytes[Field.HeaderLength..]);

    public ushort GsoSize => BinaryPrimitives.ReadUInt16LittleEndian(_bytes[Field.GsoSize..]);

    public ushort ChecksumStart => BinaryPrimitives.ReadUInt16LittleEndian(_bytes[Field.ChecksumStart..]);

    public ushort ChecksumOffset => BinaryPrimitives.ReadUInt16LittleEndian(_bytes[Field.ChecksumOffset..]);

    /// <summary>Writes a header into the first <see cref="Length"/> bytes of <paramref name="destination"/>.</summary>
    public static void Write(
        Span<byte> destination,
        VirtioNetFlags flags,
        VirtioGsoType gsoType,
        ushort headerLength,
        ushort gsoSize,
        ushort checksumStart,
        ushort checksumOffset)
    {
        Span<byte> header = destination[..Length];
        header[Field.Flags] = (byte)flags;
        header[Field.GsoType] = (byte)gsoType;
        BinaryPrimitives.WriteUInt16LittleEndian(header[Field.HeaderLength..], headerLength);
        BinaryPrimitives.WriteUInt16LittleEndian(header[Field.GsoSize..], gsoSize);
        BinaryPrimitives.WriteUInt16LittleEndian(header[Field.ChecksumStart..], checksumStart);
        BinaryPrimitives.WriteUInt16LittleEndian(header[Field.ChecksumOffset..], checksumOffset);
    }

    /// <summary>The header that hands a packet with <paramref name="layout"/> over as it is: its segmentation, its partial checksum, or neither.</summary>
    /// <param name="linkHeader">Bytes in front of the IP packet on the wire (14 for an Ethernet
    /// header on a tap): the layout counts from the IP header, the kernel from the frame's start.</param>
    public static void Write(Span<byte> destination, in VirtioFrameLayout layout, int linkHeader = 0)
    {
        if (layout.IsGso)
            Write(destination, VirtioNetFlags.NeedsChecksum, layout.GsoType, (ushort)(layout.HeadersLength + linkHeader),
                (ushort)layout.GsoSize, (ushort)(layout.ChecksumStart + linkHeader), (ushort)layout.ChecksumOffset);
        else if (layout.NeedsChecksum)
            Write(destination, VirtioNetFlags.NeedsChecksum, VirtioGsoType.None, 0, 0,
                (ushort)(layout.ChecksumStart + linkHeader), (ushort)layout.ChecksumOffset);
        else
            WriteNone(destination);
    }

    /// <summary>
    /// Makes a header written for an IP packet count <paramref name="linkHeader"/> more bytes in
    /// front of it (hdr_len and csum_start, where set), as the kernel counts from a tap frame's start.
    /// </summary>
    public static void MoveBehind(Span<byte> header, int linkHeader)
    {
        if (header[Field.Flags] == 0 && header[Field.GsoType] == 0) return;
        Span<byte> headerLength = header[Field.HeaderLength..];
        Span<byte> checksumStart = header[Field.ChecksumStart..];
        if (header[Field.GsoType] != 0)
            BinaryPrimitives.WriteUInt16LittleEndian(headerLength, (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(headerLength) + linkHeader));
        BinaryPrimitives.WriteUInt16LittleEndian(checksumStart, (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(checksumStart) + linkHeader));
    }

    /// <summary>The all-zero header: one complete packet, checksums already filled in.</summary>
    public static void WriteNone(Span<byte> destination) => destination[..Length].Clear();

    /// <summary>
    /// Checks the header against <paramref name="packet"/> (what follows the header: an IP
    /// packet, as a tun device carries) and returns the layout the segmenter and the checksum
    /// completion work from. Anything but <see cref="VirtioHeaderCheck.Valid"/> means drop.
    /// </summary>
    public VirtioHeaderCheck Validate(Span<byte> packet, out VirtioFrameLayout layout)
    {
        layout = default;
        if ((Flags & ~KnownFlags) != 0)
            return VirtioHeaderCheck.UnknownFlags;

        VirtioGsoType type = GsoType;
        switch (type)
        {
            case VirtioGsoType.None or VirtioGsoType.TcpV4 or VirtioGsoType.TcpV6 or VirtioGsoType.UdpL4:
                break;
            case VirtioGsoType.Udp:
                return VirtioHeaderCheck.UdpFragmentationOffload;
            default:
                return VirtioHeaderCheck.UnknownGsoType;
        }
        if (Ecn && type is not (VirtioGsoType.TcpV4 or VirtioGsoType.TcpV6))
            return VirtioHeaderCheck.EcnWithoutTcp;

        bool needsChecksum = NeedsChecksum;
        int start = ChecksumStart;
        int offset = ChecksumOffset;
        if (needsChecksum && start + offset + 2 > packet.Length)
            return VirtioHeaderCheck.ChecksumOutsidePacket;

        if (type == VirtioGsoType.None)
        {
            // gso_size means nothing without a type; the kernel ignores it too.
            layout = new VirtioFrameLayout(type, 0, needsChecksum, start, offset, packet.Length, 0, 0, 0, 0);
            return VirtioHeaderCheck.Valid;
        }

        int gsoSize = GsoSize;
        if (gsoSize == 0)
            return VirtioHeaderCheck.ZeroGsoSize;

        VirtioHeaderCheck check = MeasureSuperFrame(packet, type, out int version, out int packetLength, out int transportOffset, out int transportHeaderLength, out IpProtocol protocol);
        if (check != VirtioHeaderCheck.Valid)
            return check;
        int payloadLength = packetLength - transportOffset - transportHeaderLength;
        if (gsoSize > payloadLength)
            return VirtioHeaderCheck.GsoSizeLargerThanPayload;
        // Cut finer than the kernel ever cuts, one frame would take thousands of buffers.
        if (protocol == IpProtocol.Tcp && gsoSize < MinTcpGsoSize)
            return VirtioHeaderCheck.GsoSizeBelowMinimum;
        if (protocol == IpProtocol.Udp && (payloadLength + gsoSize - 1) / gsoSize > MaxUdpSegments)
            return VirtioHeaderCheck.TooManySegments;
        int checksumField = protocol == IpProtocol.Tcp ? TcpChecksumOffset : UdpChecksumOffset;
        if (needsChecksum && (start != transportOffset || offset != checksumField))
            return VirtioHeaderCheck.ChecksumFieldMismatch;

        layout = new VirtioFrameLayout(type, gsoSize, needsChecksum, start, offset, packetLength, version, transportOffset, transportHeaderLength, protocol);
        return VirtioHeaderCheck.Valid;
    }

    private static VirtioHeaderCheck MeasureSuperFrame(
        Span<byte> packet,
        VirtioGsoType type,
        out int version,
        out int packetLength,
        out int transportOffset,
        out int transportHeaderLength,
        out IpProtocol protocol)
    {
        version = packetLength = transportOffset = transportHeaderLength = 0;
        protocol = 0;
        Span<byte> transport;
        if (Ipv4Packet.TryParse(packet, out var v4))
        {
            if (v4.MoreFragments || v4.FragmentOffset != 0)
                return VirtioHeaderCheck.Fragment;
            version = 4;
            protocol = v4.Protocol;
            transportOffset = v4.HeaderLength;
            packetLength = v4.TotalLength;
            transport = v4.Payload;
        }
        else if (Ipv6Packet.TryParse(packet, out var v6))
        {
            version = 6;
            protocol = v6.NextHeader;
            if (protocol is not (IpProtocol.Tcp or IpProtocol.Udp))
                return VirtioHeaderCheck.ExtensionHeaders;
            transportOffset = Ipv6Packet.Field.HeaderLength;
            packetLength = v6.TotalLength;
            transport = v6.Payload;
        }
        else
        {
            return VirtioHeaderCheck.MalformedPacket;
        }

        bool fits = type switch
        {
            VirtioGsoType.TcpV4 => version == 4 && protocol == IpProtocol.Tcp,
            VirtioGsoType.TcpV6 => version == 6 && protocol == IpProtocol.Tcp,
            _ => protocol == IpProtocol.Udp,
        };
        if (!fits)
            return VirtioHeaderCheck.ProtocolMismatch;

        if (protocol == IpProtocol.Tcp)
        {
            if (!TcpSegment.TryGetHeaderLength(transport, out transportHeaderLength))
                return VirtioHeaderCheck.MalformedPacket;
        }
        else
        {
            // The length field of a UDP super-frame covers all of it, as the kernel writes it.
            if (!UdpDatagram.TryParse(transport, out var udp) || udp.Length != transport.Length)
                return VirtioHeaderCheck.MalformedPacket;
            transportHeaderLength = UdpDatagram.Field.HeaderLength;
        }
        return VirtioHeaderCheck.Valid;
    }
}
