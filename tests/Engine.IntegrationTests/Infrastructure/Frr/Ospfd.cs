namespace Engine.IntegrationTests.Infrastructure.Frr;

/// <summary>An interface ospfd runs on: its OSPF network type and, when written, its cost (else FRR's, from the bandwidth).</summary>
public readonly record struct OspfInterface(string Name, string Network = "point-to-point", int? Cost = null);

/// <summary>ospfd (OSPFv2) with the suite's short timers (hello 1 s, dead 4 s) on each of its interfaces, everything in area 0.</summary>
public static class Ospfd
{
    /// <param name="networks">The prefixes in area 0: the links' subnets and the loopbacks to advertise.</param>
    public static void Start(FrrHost host, string hostname, string routerId, IEnumerable<OspfInterface> interfaces, IEnumerable<string> networks)
    {
        var links = string.Concat(interfaces.Select(link => $"""
            interface {link.Name}
             ip ospf network {link.Network}
             ip ospf hello-interval 1
             ip ospf dead-interval 4

            """ + (link.Cost is { } cost ? $" ip ospf cost {cost}\n" : "")));
        host.Start("ospfd", $"hostname {hostname}\n" + links + $"router ospf\n ospf router-id {routerId}\n"
            + string.Concat(networks.Select(network => $" network {network} area 0\n")));
    }
}
