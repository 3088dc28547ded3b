namespace Engine.IntegrationTests.Infrastructure.Frr;

/// <summary>
/// ospfd and ospf6d on one link (point-to-point unless told otherwise) with the suite's short timers (hello 1 s, dead
/// 4 s), advertising the host's loopback: what each two-host OSPF test runs on its hosts.
/// </summary>
public static class PointToPointOspf
{
    /// <param name="network">The link's IPv4 prefix, in area 0 with the loopback.</param>
    /// <param name="loopback">The router id and the advertised IPv4 loopback; ospf6d advertises lo's IPv6 addresses.</param>
    /// <param name="linkType">The OSPF network type of the link: broadcast for a host on a tap facing a router there.</param>
    public static void Start(FrrHost host, string hostname, string device, string network, string loopback, string linkType = "point-to-point")
    {
        Ospfd.Start(host, hostname, loopback, [new(device, linkType)], [network, $"{loopback}/32"]);
        host.Start("ospf6d", $"""
            hostname {hostname}
            interface {device}
             ipv6 ospf6 area 0
             ipv6 ospf6 network {linkType}
             ipv6 ospf6 hello-interval 1
             ipv6 ospf6 dead-interval 4
            interface lo
             ipv6 ospf6 area 0
            router ospf6
             ospf6 router-id {loopback}
            """);
    }

    /// <summary>Both hosts have a FULL OSPFv2 and OSPFv3 neighbour.</summary>
    public static void AssertFullOnBoth(Xunit.Abstractions.ITestOutputHelper output, FrrHost host1, FrrHost host2)
    {
        FrrChecks.Eventually(output, "OSPFv2 FULL on both hosts", () =>
            FrrChecks.HasNeighborIn(host1, "show ip ospf neighbor json", "Full") && FrrChecks.HasNeighborIn(host2, "show ip ospf neighbor json", "Full"));
        FrrChecks.Eventually(output, "OSPFv3 FULL on both hosts", () =>
            FrrChecks.HasNeighborIn(host1, "show ipv6 ospf6 neighbor json", "Full") && FrrChecks.HasNeighborIn(host2, "show ipv6 ospf6 neighbor json", "Full"));
    }

    /// <summary>Each host has an OSPF route to the other's loopback, in FRR and in its kernel through its device.</summary>
    public static void AssertLoopbacksLearned(Xunit.Abstractions.ITestOutputHelper output,
        (FrrHost Host, string Device, string Loopback) one, (FrrHost Host, string Device, string Loopback) other)
    {
        FrrChecks.Eventually(output, "each host's OSPF route to the other's loopback, in FRR and the kernel", () =>
            FrrChecks.HasRoute(other.Host, "show ip route ospf json", $"{one.Loopback}/32") && FrrChecks.HasRoute(one.Host, "show ip route ospf json", $"{other.Loopback}/32")
            && FrrChecks.KernelRoutes(other.Host.Namespace, one.Loopback, other.Device) && FrrChecks.KernelRoutes(one.Host.Namespace, other.Loopback, one.Device));
    }
}
