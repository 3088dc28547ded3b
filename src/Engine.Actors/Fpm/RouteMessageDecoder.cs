using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Engine.Actors.Routing;

namespace Engine.Actors.Fpm;

/// <summary>
/// Decodes RTM_NEWROUTE and RTM_DELROUTE. Reads RTA_DST, RTA_GATEWAY, RTA_VIA, RTA_OIF,
/// RTA_PRIORITY, RTA_TABLE, RTA_NH_ID and RTA_MULTIPATH; skips every other attribute (RTA_ENCAP,
/// RTA_PREFSRC, metrics...). A known attribute of the wrong size refuses the whole message.
/// </summary>
internal static class RouteMessageDecoder
{
    // zebra sends its full table seconds after start: optimised at once, not after tiering (BENCHMARKS.md).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static FpmMessageOutcome Decode(bool isDelete, ushort flags, ReadOnlySpan<byte> payload)
    {
        if (!RouteMessageView.TryParse(payload, out var header))
            return FpmMessageOutcome.Refused(FpmRefusal.Malformed);
        var addressLength = Rtnetlink.AddressLength(header.Family);
        if (addressLength == 0)
            return FpmMessageOutcome.Refused(FpmRefusal.UnsupportedFamily);
        if (header.DestinationLength > addressLength * 8)
            return FpmMessageOutcome.Refused(FpmRefusal.Malformed);

        var attributes = new RouteAttributes { Table = header.Table };
        if (!attributes.TryRead(header.Attributes, addressLength))
            return FpmMessageOutcome.Refused(FpmRefusal.Malformed);
        if (!TryPrefix(attributes.Destination, header.DestinationLength, addressLength, out var prefix))
            return FpmMessageOutcome.Refused(FpmRefusal.Malformed);
        var key = new FpmRouteKey(attributes.Table, prefix);
        if (isDelete)
            return FpmMessageOutcome.Decoded(new FpmRouteDelete(key));

        var type = (FpmRouteType)header.Type;
        if (type is not (FpmRouteType.Unicast or FpmRouteType.Blackhole or FpmRouteType.Unreachable or FpmRouteType.Prohibit))
            return FpmMessageOutcome.Refused(FpmRefusal.UnsupportedRouteType);

        var nextHops = ImmutableArray<FpmNextHop>.Empty;
        uint? nextHopId = null;
        if (type == FpmRouteType.Unicast)
        {
            if (attributes.NextHopId is { } id)
                nextHopId = id;
            else if (attributes.HasMultipath)
            {
                if (!TryReadMultipath(attributes.Multipath, addressLength, out nextHops))
                    return FpmMessageOutcome.Refused(FpmRefusal.Malformed);
                if (nextHops.IsEmpty)
                    return FpmMessageOutcome.Refused(FpmRefusal.EmptyMultipath);
            }
            else if (attributes.Gateway is not null || attributes.OutputLink != 0)
                nextHops = [new FpmNextHop(attributes.Gateway, attributes.OutputLink)];
            else
                return FpmMessageOutcome.Refused(FpmRefusal.NoNextHop);
        }

        var route = new FpmRoute(key, type, header.Protocol, attributes.Priority, nextHops, nextHopId);
        return FpmMessageOutcome.Decoded(new FpmRouteAdd(route, (flags & Rtnetlink.FlagReplace) != 0));
    }

    /// <summary>No RTA_DST means the default route, which only a length of 0 may have; host bits are refused, as the kernel does.</summary>
    private static bool TryPrefix(FpmAddress? destination, int length, int addressLength, out IpPrefix prefix)
    {
        var address = destination?.Value ?? UInt128.Zero;
        prefix = addressLength == 4 ? IpPrefix.Ipv4((uint)address, length) : IpPrefix.Ipv6(address, length);
        var network = prefix.IsIPv6 ? prefix.Ipv6Network : prefix.Ipv4Network;
        return (destination is not null || length == 0) && network == address;
    }

    private static bool TryReadMultipath(ReadOnlySpan<byte> value, int addressLength, out ImmutableArray<FpmNextHop> nextHops)
    {
        nextHops = [];
        var builder = ImmutableArray.CreateBuilder<FpmNextHop>();
        var entries = new RouteNextHopWalker(value);
        while (true)
        {
            switch (entries.Next(out var ifIndex, out var weight, out var attributes))
            {
                case NetlinkAttributeStatus.End:
                    nextHops = builder.DrainToImmutable();
                    return true;
                case NetlinkAttributeStatus.Malformed:
                    return false;
            }
            var entry = new RouteAttributes();
            if (!entry.TryRead(attributes, addressLength))
                return false;
            builder.Add(new FpmNextHop(entry.Gateway, ifIndex, weight));
        }
    }

    /// <summary>The attributes of a route, or of one rtnexthop entry (which carries only the gateway ones).</summary>
    private ref struct RouteAttributes
    {
        public FpmAddress? Destination;
        public FpmAddress? Gateway;
        public int OutputLink;
        public uint? Priority;
        public uint Table;
        public uint? NextHopId;
        public bool HasMultipath;
        public ReadOnlySpan<byte> Multipath;

        public bool TryRead(NetlinkAttributeWalker walker, int addressLength)
        {
            while (true)
            {
                var status = walker.Next(out var type, out var value);
                if (status != NetlinkAttributeStatus.Attribute)
                    return status == NetlinkAttributeStatus.End;
                if (!TryTake(type, value, addressLength))
                    return false;
            }
        }

        private bool TryTake(ushort type, ReadOnlySpan<byte> value, int addressLength)
        {
            FpmAddress address;
            uint number;
            switch (type)
            {
                case Rtnetlink.Route.Destination:
                    if (!NetlinkValues.TryReadAddress(value, addressLength, out address)) return false;
                    Destination = address;
                    return true;
                case Rtnetlink.Route.Gateway:
                    if (!NetlinkValues.TryReadAddress(value, addressLength, out address)) return false;
                    Gateway = address;
                    return true;
                case Rtnetlink.Route.Via:
                    if (!NetlinkValues.TryReadVia(value, out address)) return false;
                    Gateway = address;
                    return true;
                case Rtnetlink.Route.OutputLink:
                    if (!NetlinkValues.TryReadUInt32(value, out number)) return false;
                    OutputLink = (int)number;
                    return true;
                case Rtnetlink.Route.Priority:
                    if (!NetlinkValues.TryReadUInt32(value, out number)) return false;
                    Priority = number;
                    return true;
                case Rtnetlink.Route.Table:
                    if (!NetlinkValues.TryReadUInt32(value, out number)) return false;
                    Table = number;
                    return true;
                case Rtnetlink.Route.NextHopId:
                    if (!NetlinkValues.TryReadUInt32(value, out number)) return false;
                    NextHopId = number;
                    return true;
                case Rtnetlink.Route.Multipath:
                    HasMultipath = true;
                    Multipath = value;
                    return true;
                default:
                    return true;
            }
        }
    }
}
