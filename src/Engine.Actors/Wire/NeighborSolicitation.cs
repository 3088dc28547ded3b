using System.Buffers.Binary;

namespace Engine.Actors.Wire;

/// <summary>
/// A view of a Neighbor Solicitation (RFC 4861 §4.3): who has <see cref="Target"/>? Obtain
/// one only through <see cref="TryParse"/>, which applies every receive check of §7.1.1.
/// </summary>
public readonly ref struct NeighborSolicitation
{
    private readonly Span<byte> _message;

    private NeighborSolicitation(Span<byte> message, MacAddress? sourceLinkLayerAddress, bool isDuplicateAddressDetection)
    {
        _message = message;
        SourceLinkLayerAddress = sourceLinkLayerAddress;
        IsDuplicateAddressDetection = isDuplicateAddressDetection;
    }

    /// <summary>
    /// Validates the solicitation in an untrusted <paramref name="packet"/>: the checks common
    /// to neighbour discovery (hop limit 255, code 0, length, checksum, unicast target, sound
    /// options) and, from the unspecified address, a solicited-node destination and no source
    /// link-layer address option.
    /// </summary>
    public static bool TryParse(Ipv6Packet packet, out NeighborSolicitation solicitation)
    {
        solicitation = default;
        if (!NeighborDiscoveryValidation.TryValidate(
                packet, NeighborDiscovery.TypeNeighborSolicitation, NeighborDiscovery.OptionSourceLinkLayerAddress,
                out Span<byte> message, out MacAddress? sourceLinkLayerAddress))
            return false;

        bool fromUnspecified = packet.SourceAddress == UInt128.Zero;
        if (fromUnspecified
            && (sourceLinkLayerAddress is not null || !NeighborDiscovery.IsSolicitedNodeAddress(packet.DestinationAddress)))
            return false;

        solicitation = new NeighborSolicitation(message, sourceLinkLayerAddress, fromUnspecified);
        return true;
    }

    /// <summary>The ICMPv6 message, options included.</summary>
    public Span<byte> Bytes => _message;

    /// <summary>The address whose link-layer address is asked for.</summary>
    public UInt128 Target => BinaryPrimitives.ReadUInt128BigEndian(_message[NeighborDiscovery.Field.Target..]);

    /// <summary>The sender's MAC from the source link-layer address option, if it carried one.</summary>
    public MacAddress? SourceLinkLayerAddress { get; }

    /// <summary>
    /// Sent from the unspecified address: a node checking that <see cref="Target"/> is free
    /// before taking it (RFC 4862 §5.4). There is no sender to learn, and an answer goes to
    /// all-nodes (ff02::1).
    /// </summary>
    public bool IsDuplicateAddressDetection { get; }
}
