namespace Engine.IntegrationTests.Infrastructure.Frr;

/// <summary>A BGP neighbour: its address on the shared link and its AS.</summary>
public readonly record struct BgpNeighbor(string Address, int As);

/// <summary>bgpd with eBGP neighbours on the host's links (TTL 1, as eBGP sends) and the suite's short timers.</summary>
public static class Ebgp
{
    /// <summary>The control plane's router's AS in the suite's eBGP labs.</summary>
    public const int RouterAs = 65000;

    /// <param name="networks">Prefixes the host announces (its loopback, say); each must be in its zebra's table.</param>
    public static void Start(FrrHost host, string name, int asNumber, string routerId, IEnumerable<BgpNeighbor> neighbors, params string[] networks)
    {
        var sessions = string.Concat(neighbors.Select(neighbor => $"""
             neighbor {neighbor.Address} remote-as {neighbor.As}
             neighbor {neighbor.Address} timers 1 3
             neighbor {neighbor.Address} timers connect 1

            """));
        var announced = networks.Length == 0 ? "" :
            " address-family ipv4 unicast\n" + string.Concat(networks.Select(network => $"  network {network}\n")) + " exit-address-family\n";
        host.Start("bgpd", $"""
            hostname {name}
            router bgp {asNumber}
             bgp router-id {routerId}
             no bgp ebgp-requires-policy

            """ + sessions + announced);
    }
}
