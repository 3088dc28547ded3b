using System.Buffers.Binary;

namespace Engine.Actors.Wire;

/// <summary>
/// A view of an ARP packet for IPv4 over Ethernet (RFC 826), the only kind an Ethernet
/// router needs. Obtain one only through <see cref="TryParse"/>, which rejects any other
/// hardware or protocol type and address length, and any operation but request and reply.
/// The view is exactly <see cref="Field.Length"/> bytes; link padding after it is ignored.
/// Addresses are numbers: 10.0.0.1 is 0x0A000001.
/// </summary>
public readonly ref struct ArpPacket
{
    /// <summary>Byte offsets of the fields, for Ethernet (6-byte) and IPv4 (4-byte) addresses.</summary>
    public static class Field
    {
        public const int HardwareType = 0;
        public const int ProtocolType = 2;
        public const int HardwareLength = 4;
        public const int ProtocolLength = 5;
        public const int Operation = 6;
        public const int SenderHardwareAddress = 8;
        public const int SenderProtocolAddress = SenderHardwareAddress + MacAddress.Length;
        public const int TargetHardwareAddress = SenderProtocolAddress + Ipv4Packet.Field.AddressLength;
        public const int TargetProtocolAddress = TargetHardwareAddress + MacAddress.Length;
        public const int Length = TargetProtocolAddress + Ipv4Packet.Field.AddressLength;
    }

    /// <summary>
    /// What the builders write: Ethernet header and ARP packet, 42 bytes, not padded to the
    /// 60-byte Ethernet minimum. A tap's kernel side takes short frames as they are (Linux
    /// itself hands 42-byte ARP frames to tap readers), and a NIC that puts a frame on a real
    /// wire pads runts in its driver; padding here would be 18 more bytes to clear per frame.
    /// </summary>
    public const int FrameLength = EthernetFrame.HeaderLength + Field.Length;

    private const ushort HardwareTypeEthernet = 1;

    private readonly Span<byte> _bytes;

    private ArpPacket(Span<byte> bytes) => _bytes = bytes;

    /// <summary>Validates an untrusted Ethernet payload and returns a view of the ARP packet in it.</summary>
    public static bool TryParse(Span<byte> payload, out ArpPacket packet)
    {
        packet = default;
        if (payload.Length < Field.Length)
            return false;
        if (BinaryPrimitives.ReadUInt16BigEndian(payload[Field.HardwareType..]) != HardwareTypeEthernet
            || BinaryPrimitives.ReadUInt16BigEndian(payload[Field.ProtocolType..]) != EtherType.Ipv4
            || payload[Field.HardwareLength] != MacAddress.Length
            || payload[Field.ProtocolLength] != Ipv4Packet.Field.AddressLength)
            return false;
        ushort operation = BinaryPrimitives.ReadUInt16BigEndian(payload[Field.Operation..]);
        if (operation is not ((ushort)ArpOperation.Request or (ushort)ArpOperation.Reply))
            return false;
        packet = new ArpPacket(payload[..Field.Length]);
        return true;
    }

    /// <summary>
    /// Writes a whole reply frame into <paramref name="frame"/>: from
    /// <paramref name="ourMac"/> to <paramref name="toMac"/>, saying that
    /// <paramref name="ourIp"/> is at <paramref name="ourMac"/>. Returns
    /// <see cref="FrameLength"/>, or 0 (nothing written) when the buffer is shorter.
    /// </summary>
    public static int WriteReply(Span<byte> frame, MacAddress ourMac, uint ourIp, MacAddress toMac, uint toIp) =>
        Write(frame, toMac, ArpOperation.Reply, ourMac, ourIp, toMac, toIp);

    /// <summary>
    /// Writes a whole broadcast request frame into <paramref name="frame"/>: who has
    /// <paramref name="targetIp"/>, tell <paramref name="ourIp"/> at <paramref name="ourMac"/>.
    /// The target hardware address, which a request cannot know, is zero as in Linux's
    /// requests and RFC 5227 §2.1.1's probes. Returns
    /// <see cref="FrameLength"/>, or 0 (nothing written) when the buffer is shorter.
    /// </summary>
    public static int WriteRequest(Span<byte> frame, MacAddress ourMac, uint ourIp, uint targetIp) =>
        Write(frame, MacAddress.Broadcast, ArpOperation.Request, ourMac, ourIp, default, targetIp);

    /// <summary>The ARP packet, <see cref="Field.Length"/> bytes.</summary>
    public Span<byte> Bytes => _bytes;

    public ArpOperation Operation => (ArpOperation)BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.Operation..]);

    public MacAddress SenderMac => MacAddress.FromSpan(_bytes[Field.SenderHardwareAddress..]);

    public uint SenderIp => BinaryPrimitives.ReadUInt32BigEndian(_bytes[Field.SenderProtocolAddress..]);

    public MacAddress TargetMac => MacAddress.FromSpan(_bytes[Field.TargetHardwareAddress..]);

    public uint TargetIp => BinaryPrimitives.ReadUInt32BigEndian(_bytes[Field.TargetProtocolAddress..]);

    /// <summary>
    /// Sender and target protocol addresses are equal: an announcement (gratuitous ARP) of
    /// the sender's own binding rather than a question about someone else's.
    /// </summary>
    public bool IsGratuitous => SenderIp == TargetIp;

    private static int Write(
        Span<byte> frame, MacAddress destination, ArpOperation operation,
        MacAddress senderMac, uint senderIp, MacAddress targetMac, uint targetIp)
    {
        if (frame.Length < FrameLength)
            return 0;
        EthernetFrame.WriteHeader(frame, destination, senderMac, EtherType.Arp);

        Span<byte> arp = frame.Slice(EthernetFrame.HeaderLength, Field.Length);
        BinaryPrimitives.WriteUInt16BigEndian(arp[Field.HardwareType..], HardwareTypeEthernet);
        BinaryPrimitives.WriteUInt16BigEndian(arp[Field.ProtocolType..], EtherType.Ipv4);
        arp[Field.HardwareLength] = MacAddress.Length;
        arp[Field.ProtocolLength] = Ipv4Packet.Field.AddressLength;
        BinaryPrimitives.WriteUInt16BigEndian(arp[Field.Operation..], (ushort)operation);
        senderMac.WriteTo(arp[Field.SenderHardwareAddress..]);
        BinaryPrimitives.WriteUInt32BigEndian(arp[Field.SenderProtocolAddress..], senderIp);
        targetMac.WriteTo(arp[Field.TargetHardwareAddress..]);
        BinaryPrimitives.WriteUInt32BigEndian(arp[Field.TargetProtocolAddress..], targetIp);
        return FrameLength;
    }
}
