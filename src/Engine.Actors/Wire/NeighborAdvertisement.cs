using System.Buffers.Binary;

namespace Engine.Actors.Wire;

/// <summary>
/// A view of a Neighbor Advertisement (RFC 4861 §4.4): <see cref="Target"/> is at
/// <see cref="TargetLinkLayerAddress"/>. Obtain one only through <see cref="TryParse"/>,
/// which applies every receive check of §7.1.2.
/// </summary>
public readonly ref struct NeighborAdvertisement
{
    private readonly Span<byte> _message;

    private NeighborAdvertisement(Span<byte> message, MacAddress? targetLinkLayerAddress)
    {
        _message = message;
        TargetLinkLayerAddress = targetLinkLayerAddress;
    }

    /// <summary>
    /// Validates the advertisement in an untrusted <paramref name="packet"/>: the checks
    /// common to neighbour discovery (hop limit 255, code 0, length, checksum, unicast target,
    /// sound options) and, when sent to a multicast group, a clear Solicited flag.
    /// </summary>
    public static bool TryParse(Ipv6Packet packet, out NeighborAdvertisement advertisement)
    {
        advertisement = default;
        if (!NeighborDiscoveryValidation.TryValidate(
                packet, NeighborDiscovery.TypeNeighborAdvertisement, NeighborDiscovery.OptionTargetLinkLayerAddress,
                out Span<byte> message, out MacAddress? targetLinkLayerAddress))
            return false;

        bool solicited = (message[NeighborDiscovery.Field.Flags] & NeighborDiscovery.SolicitedFlag) != 0;
        if (solicited && NeighborDiscovery.IsMulticast(packet.DestinationAddress))
            return false;

        advertisement = new NeighborAdvertisement(message, targetLinkLayerAddress);
        return true;
    }

    /// <summary>The ICMPv6 message, options included.</summary>
    public Span<byte> Bytes => _message;

    /// <summary>The address the advertisement is about.</summary>
    public UInt128 Target => BinaryPrimitives.ReadUInt128BigEndian(_message[NeighborDiscovery.Field.Target..]);

    /// <summary>The sender is a router.</summary>
    public bool Router => (Flags & NeighborDiscovery.RouterFlag) != 0;

    /// <summary>The advertisement answers a solicitation (so it confirms reachability).</summary>
    public bool Solicited => (Flags & NeighborDiscovery.SolicitedFlag) != 0;

    /// <summary>The binding should replace a cached one, not only fill an empty entry.</summary>
    public bool Override => (Flags & NeighborDiscovery.OverrideFlag) != 0;

    /// <summary>
    /// The target's MAC from the target link-layer address option. RFC 4861 §4.4 lets a
    /// solicited advertisement to a unicast address leave it out; it is then null.
    /// </summary>
    public MacAddress? TargetLinkLayerAddress { get; }

    private byte Flags => _message[NeighborDiscovery.Field.Flags];
}
