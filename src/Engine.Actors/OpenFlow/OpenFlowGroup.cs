using System.Buffers.Binary;
using Engine.Actors.Router;
using Engine.Actors.Routing;
using Engine.Actors.Rules;
using Engine.Actors.Wire;

namespace Engine.Actors.OpenFlow;

/// <summary>A group's type (ofp_group_type): every bucket, one by flow hash, the one bucket, or the first live one.</summary>
public enum OfpGroupType : byte
{
    All = 0,
    Select = 1,
    Indirect = 2,
    FastFailover = 3,
}

/// <summary>One bucket of a group (ofp_bucket): its share of a SELECT group's flows, the port a fast-failover group watches, its actions.</summary>
public sealed record OpenFlowBucket(ushort Weight, uint WatchPort, uint WatchGroup, byte[] Actions)
{
    public RuleHits Hits { get; } = new();
}

/// <summary>
/// One entry of the group table (spec section 5.6), as GROUP_MOD left it. A SELECT group picks
/// its bucket as a multipath route picks its path: the frame's flow hash (<see cref="EcmpFlowHash"/>)
/// into a table of buckets drawn by weight (<see cref="EcmpGroup"/>), so a flow stays on one
/// bucket and a bucket of weight 0 takes none.
/// </summary>
public sealed class OpenFlowGroup
{
    private readonly EcmpGroup? _select;

    public OpenFlowGroup(uint id, OfpGroupType type, OpenFlowBucket[] buckets, long addedTicks)
    {
        Id = id;
        Type = type;
        Buckets = buckets;
        AddedTicks = addedTicks;
        if (type == OfpGroupType.Select && buckets.Any(b => b.Weight > 0))
            _select = new EcmpGroup([.. buckets.Select((b, i) => (i, new EcmpPath(new NextHop(i, id), b.Weight))).Where(p => p.Item2.Weight > 0)]);
    }

    public uint Id { get; }
    public OfpGroupType Type { get; }
    public OpenFlowBucket[] Buckets { get; }
    public long AddedTicks { get; }
    public RuleHits Hits { get; } = new();

    /// <summary>The bucket a SELECT group gives <paramref name="frame"/> (Ethernet), a fast-failover group's first live one; -1 when none can take it.</summary>
    public int Pick(byte[] frame, OpenFlowSwitchInfo info)
    {
        switch (Type)
        {
            case OfpGroupType.Select:
                return _select?.Pick(FlowHash(frame)) ?? -1;
            case OfpGroupType.FastFailover:
                for (var i = 0; i < Buckets.Length; i++)
                    if (info.Port(Buckets[i].WatchPort) is { LinkUp: true }) return i;
                return -1;
            default:
                return Buckets.Length > 0 ? 0 : -1;
        }
    }

    /// <summary>IP's 5-tuple hash behind the Ethernet header and any VLAN tags; other frames hash their Ethernet addresses.</summary>
    private static uint FlowHash(byte[] frame)
    {
        if (frame.Length < EthernetFrame.HeaderLength) return 0;
        var (type, at) = OfpFrameEdits.Network(frame);
        var packet = frame.AsSpan(at);
        if (type == EtherType.Ipv4 && Ipv4Packet.TryParse(packet, out var v4)) return EcmpFlowHash.Of(v4);
        if (type == EtherType.Ipv6 && Ipv6Packet.TryParse(packet, out var v6)) return EcmpFlowHash.Of(v6);
        var addresses = BinaryPrimitives.ReadUInt64BigEndian(frame) ^ BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(8));
        return (uint)(addresses * 0x9E3779B97F4A7C15UL >> 32);
    }
}
