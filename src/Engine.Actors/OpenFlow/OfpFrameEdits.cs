using System.Buffers.Binary;
using Engine.Actors.Wire;

namespace Engine.Actors.OpenFlow;

/// <summary>
/// What OpenFlow's actions change in an Ethernet frame (spec section 5.12): set_field of the
/// Ethernet addresses, the outer VLAN's VID, IPv4 and IPv6 addresses and TCP and UDP ports, push
/// and pop VLAN, dec_nw_ttl. Every checksum a change touches is updated incrementally (RFC 1624):
/// IPv4's header, and TCP's, UDP's and ICMPv6's, whose pseudo-headers carry the addresses. A
/// field the frame does not have (an IPv4 address of an ARP frame) is left alone, as the action's
/// prerequisite would have kept it from matching.
/// </summary>
public static class OfpFrameEdits
{
    private const int VlanTagLength = 4;
    private const int MaxVlanTags = 2;

    /// <summary>The frame with a VLAN tag of <paramref name="tpid"/> in front, copying the outer tag's TCI when there is one (spec: VID and PCP of the new tag).</summary>
    public static byte[] PushVlan(byte[] frame, ushort tpid)
    {
        if (frame.Length < EthernetFrame.HeaderLength) return frame;
        var tci = IsVlan(BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12))) && frame.Length >= EthernetFrame.HeaderLength + VlanTagLength
            ? BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(14))
            : (ushort)0;
        return [.. frame.AsSpan(0, 12), (byte)(tpid >> 8), (byte)tpid, (byte)(tci >> 8), (byte)tci, .. frame.AsSpan(12)];
    }

    /// <summary>The frame without its outer VLAN tag; an untagged frame unchanged.</summary>
    public static byte[] PopVlan(byte[] frame) =>
        frame.Length >= EthernetFrame.HeaderLength + VlanTagLength && IsVlan(BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12)))
            ? [.. frame.AsSpan(0, 12), .. frame.AsSpan(16)]
            : frame;

    /// <summary>
    /// Lowers IPv4's TTL or IPv6's hop limit by one. False when it would reach 0 (it is 0 or 1):
    /// the frame is then left as it is, for the caller to drop or hand the controller as INVALID_TTL.
    /// </summary>
    public static bool DecrementTtl(byte[] frame)
    {
        var (type, at) = Network(frame);
        var ip = frame.AsSpan(at);
        switch (type)
        {
            case EtherType.Ipv4 when ip.Length >= Ipv4Packet.Field.MinHeaderLength:
                if (ip[Ipv4Packet.Field.Ttl] <= 1) return false;
                var word = BinaryPrimitives.ReadUInt16BigEndian(ip[Ipv4Packet.Field.Ttl..]);
                ip[Ipv4Packet.Field.Ttl]--;
                UpdateChecksum(ip[Ipv4Packet.Field.Checksum..], word, BinaryPrimitives.ReadUInt16BigEndian(ip[Ipv4Packet.Field.Ttl..]));
                return true;
            case EtherType.Ipv6 when ip.Length >= Ipv6Packet.Field.HeaderLength:
                if (ip[Ipv6Packet.Field.HopLimit] <= 1) return false;
                ip[Ipv6Packet.Field.HopLimit]--;
                return true;
            default:
                return true;
        }
    }

    /// <summary>Whether set_field may name <paramref name="field"/>.</summary>
    public static bool CanSet(OxmFieldId field) => field is OxmFieldId.EthDst or OxmFieldId.EthSrc or OxmFieldId.VlanVid
        or OxmFieldId.Ipv4Src or OxmFieldId.Ipv4Dst or OxmFieldId.Ipv6Src or OxmFieldId.Ipv6Dst
        or OxmFieldId.TcpSrc or OxmFieldId.TcpDst or OxmFieldId.UdpSrc or OxmFieldId.UdpDst;

    /// <summary>Applies a set_field action's OXM field (already validated) to <paramref name="frame"/>.</summary>
    public static void SetField(byte[] frame, ReadOnlySpan<byte> oxm)
    {
        if (frame.Length < EthernetFrame.HeaderLength || oxm.Length < 4) return;
        var value = oxm.Slice(4, oxm[3]);
        switch ((OxmFieldId)(oxm[2] >> 1))
        {
            case OxmFieldId.EthDst:
                value.CopyTo(frame);
                break;
            case OxmFieldId.EthSrc:
                value.CopyTo(frame.AsSpan(6));
                break;
            case OxmFieldId.VlanVid:
                SetVlanId(frame, BinaryPrimitives.ReadUInt16BigEndian(value));
                break;
            case OxmFieldId.Ipv4Src:
                SetAddress(frame, EtherType.Ipv4, Ipv4Packet.Field.Source, value);
                break;
            case OxmFieldId.Ipv4Dst:
                SetAddress(frame, EtherType.Ipv4, Ipv4Packet.Field.Destination, value);
                break;
            case OxmFieldId.Ipv6Src:
                SetAddress(frame, EtherType.Ipv6, Ipv6Packet.Field.Source, value);
                break;
            case OxmFieldId.Ipv6Dst:
                SetAddress(frame, EtherType.Ipv6, Ipv6Packet.Field.Destination, value);
                break;
            case OxmFieldId.TcpSrc or OxmFieldId.UdpSrc:
                SetPort(frame, (OxmFieldId)(oxm[2] >> 1) == OxmFieldId.TcpSrc ? IpProtocol.Tcp : IpProtocol.Udp, 0, value);
                break;
            case OxmFieldId.TcpDst or OxmFieldId.UdpDst:
                SetPort(frame, (OxmFieldId)(oxm[2] >> 1) == OxmFieldId.TcpDst ? IpProtocol.Tcp : IpProtocol.Udp, 2, value);
                break;
        }
    }

    /// <summary>The outer tag's VID (the OXM value's low 12 bits; OFPVID_PRESENT above them); an untagged frame has none to set.</summary>
    private static void SetVlanId(byte[] frame, ushort vid)
    {
        if (frame.Length < EthernetFrame.HeaderLength + VlanTagLength || !IsVlan(BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12)))) return;
        var tci = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(14));
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(14), (ushort)(tci & 0xf000 | vid & 0x0fff));
    }

    private static void SetAddress(byte[] frame, ushort family, int offset, ReadOnlySpan<byte> address)
    {
        var (type, at) = Network(frame);
        var ip = frame.AsSpan(at);
        if (type != family || ip.Length < offset + address.Length) return;
        if (type == EtherType.Ipv6 && ip.Length < Ipv6Packet.Field.HeaderLength) return;
        var (protocol, transport) = Transport(ip, type);
        for (var i = 0; i < address.Length; i += 2)
        {
            var old = BinaryPrimitives.ReadUInt16BigEndian(ip[(offset + i)..]);
            var now = BinaryPrimitives.ReadUInt16BigEndian(address[i..]);
            if (type == EtherType.Ipv4) UpdateChecksum(ip[Ipv4Packet.Field.Checksum..], old, now);
            // The pseudo-header holds the addresses: TCP, UDP and ICMPv6 sum them, ICMP does not.
            if (transport >= 0 && protocol is IpProtocol.Tcp or IpProtocol.Udp || transport >= 0 && protocol == IpProtocol.Icmpv6)
                UpdateTransportChecksum(ip, transport, protocol, type, old, now);
        }
        address.CopyTo(ip[offset..]);
    }

    private static void SetPort(byte[] frame, IpProtocol wanted, int offset, ReadOnlySpan<byte> port)
    {
        var (type, at) = Network(frame);
        var ip = frame.AsSpan(at);
        var (protocol, transport) = Transport(ip, type);
        if (transport < 0 || protocol != wanted || ip.Length < transport + 4) return;
        var old = BinaryPrimitives.ReadUInt16BigEndian(ip[(transport + offset)..]);
        var now = BinaryPrimitives.ReadUInt16BigEndian(port);
        UpdateTransportChecksum(ip, transport, protocol, type, old, now);
        BinaryPrimitives.WriteUInt16BigEndian(ip[(transport + offset)..], now);
    }

    private static void UpdateTransportChecksum(Span<byte> ip, int transport, IpProtocol protocol, ushort type, ushort old, ushort now)
    {
        var field = protocol switch { IpProtocol.Tcp => 16, IpProtocol.Udp => 6, _ => 2 };
        if (ip.Length < transport + field + 2) return;
        var checksum = ip[(transport + field)..];
        // An IPv4 UDP checksum of 0 means none was computed; it stays none.
        if (protocol == IpProtocol.Udp && type == EtherType.Ipv4 && BinaryPrimitives.ReadUInt16BigEndian(checksum) == 0) return;
        UpdateChecksum(checksum, old, now);
        if (protocol == IpProtocol.Udp && BinaryPrimitives.ReadUInt16BigEndian(checksum) == 0) BinaryPrimitives.WriteUInt16BigEndian(checksum, 0xffff);
    }

    private static void UpdateChecksum(Span<byte> field, ushort old, ushort now) =>
        BinaryPrimitives.WriteUInt16BigEndian(field, InternetChecksum.Update(BinaryPrimitives.ReadUInt16BigEndian(field), old, now));

    /// <summary>The EtherType behind up to two VLAN tags and where its header starts.</summary>
    internal static (ushort Type, int Offset) Network(byte[] frame)
    {
        if (frame.Length < EthernetFrame.HeaderLength) return (0, frame.Length);
        var offset = 12;
        var type = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(offset));
        for (var tags = 0; tags < MaxVlanTags && IsVlan(type) && frame.Length >= offset + 2 + VlanTagLength + 2; tags++)
        {
            offset += VlanTagLength;
            type = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(offset));
        }
        return (type, offset + 2);
    }

    /// <summary>The transport protocol and where its header starts in <paramref name="ip"/>; -1 for a later IPv4 fragment or a cut header.</summary>
    private static (IpProtocol Protocol, int Offset) Transport(ReadOnlySpan<byte> ip, ushort type)
    {
        if (type == EtherType.Ipv4 && ip.Length >= Ipv4Packet.Field.MinHeaderLength)
        {
            // A later fragment carries no transport header.
            if ((BinaryPrimitives.ReadUInt16BigEndian(ip[Ipv4Packet.Field.FlagsAndFragmentOffset..]) & 0x1fff) != 0) return (0, -1);
            return ((IpProtocol)ip[Ipv4Packet.Field.Protocol], (ip[0] & 0x0f) * 4);
        }
        // Behind extension headers the transport is not looked for: only one right after the fixed header is rewritten.
        if (type == EtherType.Ipv6 && ip.Length >= Ipv6Packet.Field.HeaderLength)
            return ((IpProtocol)ip[Ipv6Packet.Field.NextHeader], Ipv6Packet.Field.HeaderLength);
        return (0, -1);
    }

    private static bool IsVlan(ushort type) => type is EtherType.Vlan or EtherType.ServiceVlan;
}
