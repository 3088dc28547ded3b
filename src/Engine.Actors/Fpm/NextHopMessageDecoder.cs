using System.Buffers.Binary;
using System.Collections.Immutable;

namespace Engine.Actors.Fpm;

/// <summary>
/// Decodes RTM_NEWNEXTHOP and RTM_DELNEXTHOP: NHA_ID, NHA_GROUP, NHA_GATEWAY, NHA_OIF and
/// NHA_BLACKHOLE; every other attribute is skipped. A known attribute of the wrong size refuses
/// the message.
/// </summary>
internal static class NextHopMessageDecoder
{
    public static FpmMessageOutcome Decode(bool isDelete, ReadOnlySpan<byte> payload)
    {
        if (!NextHopMessageView.TryParse(payload, out var header))
            return FpmMessageOutcome.Refused(FpmRefusal.Malformed);

        var addressLength = Rtnetlink.AddressLength(header.Family);
        uint? id = null;
        FpmAddress? gateway = null;
        var ifIndex = 0;
        var blackhole = false;
        var group = ImmutableArray<FpmGroupMember>.Empty;
        var walker = header.Attributes;
        while (true)
        {
            var status = walker.Next(out var type, out var value);
            if (status == NetlinkAttributeStatus.End)
                break;
            if (status == NetlinkAttributeStatus.Malformed)
                return FpmMessageOutcome.Refused(FpmRefusal.Malformed);
            uint number;
            switch (type)
            {
                case Rtnetlink.NextHop.Id:
                    if (!NetlinkValues.TryReadUInt32(value, out number)) return FpmMessageOutcome.Refused(FpmRefusal.Malformed);
                    id = number;
                    break;
                case Rtnetlink.NextHop.OutputLink:
                    if (!NetlinkValues.TryReadUInt32(value, out number)) return FpmMessageOutcome.Refused(FpmRefusal.Malformed);
                    ifIndex = (int)number;
                    break;
                case Rtnetlink.NextHop.Gateway:
                    if (!NetlinkValues.TryReadAddress(value, addressLength, out var address)) return FpmMessageOutcome.Refused(FpmRefusal.Malformed);
                    gateway = address;
                    break;
                case Rtnetlink.NextHop.Blackhole:
                    blackhole = true;
                    break;
                case Rtnetlink.NextHop.Group:
                    if (!TryReadGroup(value, out group)) return FpmMessageOutcome.Refused(FpmRefusal.Malformed);
                    break;
            }
        }

        if (id is not { } nextHopId)
            return FpmMessageOutcome.Refused(FpmRefusal.NoNextHopId);
        if (isDelete)
            return FpmMessageOutcome.Decoded(new FpmNextHopDelete(nextHopId));
        if (group.IsEmpty && addressLength == 0)
            return FpmMessageOutcome.Refused(FpmRefusal.UnsupportedFamily);
        if (group.IsEmpty && !blackhole && gateway is null && ifIndex == 0)
            return FpmMessageOutcome.Refused(FpmRefusal.NoNextHop);
        return FpmMessageOutcome.Decoded(new FpmNextHopAdd(
            new FpmNextHopObject(nextHopId, header.Family, header.Protocol, gateway, ifIndex, blackhole, group)));
    }

    /// <summary>NHA_GROUP: one or more struct nexthop_grp, whose weight byte is the weight - 1.</summary>
    private static bool TryReadGroup(ReadOnlySpan<byte> value, out ImmutableArray<FpmGroupMember> group)
    {
        group = [];
        if (value.IsEmpty || value.Length % Rtnetlink.NextHop.GroupEntrySize != 0)
            return false;
        var members = new FpmGroupMember[value.Length / Rtnetlink.NextHop.GroupEntrySize];
        for (var i = 0; i < members.Length; i++)
        {
            var entry = value.Slice(i * Rtnetlink.NextHop.GroupEntrySize, Rtnetlink.NextHop.GroupEntrySize);
            members[i] = new FpmGroupMember(BinaryPrimitives.ReadUInt32LittleEndian(entry), entry[4] + 1);
        }
        group = ImmutableArray.Create(members);
        return true;
    }
}
