using System.Diagnostics;
using Engine.Actors.Wire;

namespace Engine.Actors.Neighbors;

/// <summary>
/// What a router knows about the hosts on one Ethernet link: the MAC behind each IPv4 and
/// IPv6 address it heard from (ARP, neighbour discovery), and when it last asked about an
/// address it could not resolve. Times are <see cref="Stopwatch.GetTimestamp"/> values.
/// <para>
/// A binding lives for <see cref="Lifetime"/> after it was last learned; looking it up does
/// not extend it, so a host that went quiet is asked again. Each family holds at most
/// <see cref="Capacity"/> bindings. When a new address finds its family full, the binding
/// learned longest ago is evicted rather than the new one refused: refusing would let a
/// burst of senders (or one spoofing many addresses) lock every later host out until the
/// old entries expire, while evicting at worst costs the evicted host one more ARP or NS
/// exchange. Expired entries are the first to go, as they are the oldest.
/// </para>
/// Nothing allocates after construction. Owned by one router: not thread-safe.
/// </summary>
public sealed class NeighborTable
{
    public const int DefaultCapacity = 4096;

    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(5);

    /// <summary>At most one ARP request or Neighbor Solicitation per address in this time.</summary>
    public static readonly TimeSpan DefaultSolicitInterval = TimeSpan.FromSeconds(1);

    private readonly RecencyMap<uint> _ipv4;
    private readonly RecencyMap<UInt128> _ipv6;
    private readonly RecencyMap<uint> _ipv4Solicited;
    private readonly RecencyMap<UInt128> _ipv6Solicited;
    private readonly long _lifetimeTicks;
    private readonly long _solicitIntervalTicks;

    public NeighborTable(int capacity = DefaultCapacity, TimeSpan? lifetime = null, TimeSpan? solicitInterval = null)
    {
        Lifetime = lifetime ?? DefaultLifetime;
        SolicitInterval = solicitInterval ?? DefaultSolicitInterval;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Lifetime, TimeSpan.Zero, nameof(lifetime));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(SolicitInterval, TimeSpan.Zero, nameof(solicitInterval));

        _ipv4 = new RecencyMap<uint>(capacity);
        _ipv6 = new RecencyMap<UInt128>(capacity);
        _ipv4Solicited = new RecencyMap<uint>(capacity);
        _ipv6Solicited = new RecencyMap<UInt128>(capacity);
        _lifetimeTicks = ToTimestampTicks(Lifetime);
        _solicitIntervalTicks = ToTimestampTicks(SolicitInterval);
    }

    /// <summary>Bindings (and throttled addresses) each family holds at most.</summary>
    public int Capacity => _ipv4.Capacity;

    public TimeSpan Lifetime { get; }

    public TimeSpan SolicitInterval { get; }

    /// <summary>IPv4 bindings held, expired ones not yet evicted included.</summary>
    public int Ipv4Count => _ipv4.Count;

    /// <summary>IPv6 bindings held, expired ones not yet evicted included.</summary>
    public int Ipv6Count => _ipv6.Count;

    /// <summary>
    /// Records that <paramref name="ip"/> (10.0.0.1 is 0x0A000001) is at
    /// <paramref name="mac"/>, replacing any older binding. Returns false, learning nothing,
    /// for a binding no single host can have: a group MAC (RFC 1812 §3.3.2), or an
    /// unspecified, multicast or limited-broadcast address (0.0.0.0 is an ARP probe's sender).
    /// </summary>
    public bool Learn(uint ip, MacAddress mac, long nowTicks)
    {
        if (mac.IsMulticast || ip == 0 || (ip >= 0xE000_0000 && ip < 0xF000_0000) || ip == 0xFFFF_FFFF)
            return false;
        _ipv4.Set(ip, mac.Value, nowTicks);
        return true;
    }

    /// <summary>
    /// Records that <paramref name="ip"/> (a big-endian number) is at <paramref name="mac"/>.
    /// Returns false, learning nothing, for a group MAC or an unspecified or multicast address.
    /// </summary>
    public bool Learn(UInt128 ip, MacAddress mac, long nowTicks)
    {
        if (mac.IsMulticast || ip == UInt128.Zero || (byte)(ip >> 120) == 0xFF)
            return false;
        _ipv6.Set(ip, mac.Value, nowTicks);
        return true;
    }

    /// <summary>The MAC of <paramref name="ip"/>, if learned less than <see cref="Lifetime"/> ago.</summary>
    public bool TryGet(uint ip, long nowTicks, out MacAddress mac) =>
        TryGet(_ipv4, ip, nowTicks, out mac);

    /// <inheritdoc cref="TryGet(uint, long, out MacAddress)"/>
    public bool TryGet(UInt128 ip, long nowTicks, out MacAddress mac) =>
        TryGet(_ipv6, ip, nowTicks, out mac);

    /// <summary>
    /// Whether to send an ARP request for <paramref name="ip"/> now: true, and remembered,
    /// unless one was sent less than <see cref="SolicitInterval"/> ago.
    /// </summary>
    public bool ShouldSolicit(uint ip, long nowTicks) => ShouldSolicit(_ipv4Solicited, ip, nowTicks);

    /// <summary>Whether to send a Neighbor Solicitation for <paramref name="ip"/> now; see the IPv4 overload.</summary>
    public bool ShouldSolicit(UInt128 ip, long nowTicks) => ShouldSolicit(_ipv6Solicited, ip, nowTicks);

    private bool TryGet<TKey>(RecencyMap<TKey> map, TKey ip, long nowTicks, out MacAddress mac)
        where TKey : struct, IEquatable<TKey>
    {
        if (map.TryGet(ip, out ulong value, out long learnedAt))
        {
            if (nowTicks - learnedAt < _lifetimeTicks)
            {
                mac = new MacAddress(value);
                return true;
            }
            map.Remove(ip);
        }
        mac = default;
        return false;
    }

    private bool ShouldSolicit<TKey>(RecencyMap<TKey> map, TKey ip, long nowTicks)
        where TKey : struct, IEquatable<TKey>
    {
        if (map.TryGet(ip, out _, out long sentAt) && nowTicks - sentAt < _solicitIntervalTicks)
            return false;
        map.Set(ip, 0, nowTicks);
        return true;
    }

    private static long ToTimestampTicks(TimeSpan span) =>
        (long)Math.Min(span.TotalSeconds * Stopwatch.Frequency, long.MaxValue / 2);
}
