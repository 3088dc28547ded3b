using Engine.Native.Tun;
using System.Collections.Immutable;
using System.Net;

namespace Engine.Actors.Topology;

/// <summary>
/// One tun or tap device of the lab, validated. Equality is by value, lists included, so that a
/// reloaded file can be compared device by device.
/// </summary>
/// <param name="Name">The interface name, or a kernel template such as "tun%d".</param>
/// <param name="Namespace">The network namespace the device is moved into; null keeps it in the
/// engine's own namespace.</param>
/// <param name="Addresses">Configured on the device in this order.</param>
/// <param name="Gateways">At most one per address family: the namespace's default route.</param>
/// <param name="Persistent">Leave the device behind at shutdown (TUNSETPERSIST).</param>
/// <param name="Switch">For tap devices: the L2 segment the device joins.</param>
public sealed record DeviceSpec(
    string Name,
    DeviceType Type,
    int Mtu,
    string? Namespace,
    ImmutableArray<InterfaceAddress> Addresses,
    ImmutableArray<IPAddress> Gateways,
    bool Persistent,
    string? Switch)
{
    public const int DefaultMtu = 1500;
    public const int MinMtu = 68;
    public const int MaxMtu = 65535;

    /// <summary>IPv6 refuses links with a smaller MTU (RFC 8200 section 5).</summary>
    public const int MinIPv6Mtu = 1280;

    /// <summary>
    /// What the device asks its kernel to hand over unfinished (<c>offload</c>): partial
    /// checksums and TCP/UDP super-frames, of which it gets what the kernel has. None (<c>off</c>):
    /// one finished packet per read and write, without a virtio-net header.
    /// </summary>
    public TunOffloads Offloads { get; init; } = AllOffloads;

    /// <summary>What <c>offload = auto</c> asks for: every offload the engine handles.</summary>
    public const TunOffloads AllOffloads =
        TunOffloads.Checksum | TunOffloads.Tso4 | TunOffloads.Tso6 | TunOffloads.TsoEcn | TunOffloads.Uso4 | TunOffloads.Uso6;

    /// <summary>
    /// Queues of the device (IFF_MULTI_QUEUE when more than one): an fd and a reader each; the
    /// kernel keeps each flow on one queue, so per-flow order holds.
    /// </summary>
    public int Queues { get; init; } = 1;

    public const int MaxQueues = 16;

    /// <summary>The tap's MAC address, set before it comes up; null keeps the one the kernel picks.</summary>
    public Wire.MacAddress? Mac { get; init; }

    /// <summary>The kernel picks the name by filling in the "%d".</summary>
    public bool IsNameTemplate => Name.Contains("%d", StringComparison.Ordinal);

    /// <summary>The device's line of the plan: "device tun-a (tun, mtu 1500) in host-a with ...".</summary>
    public override string ToString() => TopologyDescription.Describe(this);

    public bool Equals(DeviceSpec? other) =>
        other is not null
        && Name == other.Name
        && Type == other.Type
        && Mtu == other.Mtu
        && Namespace == other.Namespace
        && Addresses.SequenceEqual(other.Addresses)
        && Gateways.SequenceEqual(other.Gateways)
        && Persistent == other.Persistent
        && Switch == other.Switch
        && Offloads == other.Offloads
        && Queues == other.Queues
        && Mac == other.Mac;

    public override int GetHashCode() => HashCode.Combine(Name, Type, Mtu, Namespace, Addresses.Length, Persistent, Switch);
}
