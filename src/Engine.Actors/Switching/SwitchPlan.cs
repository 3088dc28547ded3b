using System.Diagnostics;
using Engine.Actors.Topology;

namespace Engine.Actors.Switching;

/// <summary>
/// Turns a lab's switches into each member port's <see cref="SwitchMembership"/>, one learning
/// table per switch. A switch with a <c>gateway</c> has one member more, its router interface: a
/// port of its own, numbered after the devices and the peers, in the order of the switches that have one.
/// </summary>
public static class SwitchPlan
{
    /// <param name="portIndex">The port number of a device or peer name.</param>
    /// <returns>Each port's membership by port number, router interfaces included; null for a port in no switch.</returns>
    public static SwitchMembership?[] Build(LabTopology lab, Func<string, int> portIndex)
    {
        var firstRouterPort = lab.Devices.Length + lab.Peers.Length;
        var routerPorts = RouterInterfaces(lab).Select((spec, i) => (spec.Name, Port: firstRouterPort + i)).ToDictionary(r => r.Name, r => r.Port);
        return Build(lab, portIndex, routerPorts.GetValueOrDefault, firstRouterPort + routerPorts.Count, keep: null);
    }

    /// <summary>
    /// The memberships of a lab whose ports a reload has placed: <paramref name="routerPort"/> numbers
    /// each router interface (by its switch's name), and a switch in <paramref name="keep"/> goes on
    /// with the table it has learned (its members and their numbers are as they were).
    /// </summary>
    public static SwitchMembership?[] Build(LabTopology lab, Func<string, int> portIndex, Func<string, int> routerPort, int portCount,
        IReadOnlyDictionary<string, L2Switch>? keep)
    {
        var memberships = new SwitchMembership?[portCount];
        foreach (var spec in lab.Switches)
        {
            var ports = spec.Ports.Select(portIndex).ToList();
            var routerMember = -1;
            if (!spec.Gateways.IsEmpty)
            {
                routerMember = ports.Count;
                ports.Add(routerPort(spec.Name));
            }
            var l2 = keep?.GetValueOrDefault(spec.Name) ?? New(spec, ports, routerMember);
            for (var member = 0; member < ports.Count; member++)
                memberships[ports[member]] = new SwitchMembership(l2, member);
        }
        return memberships;
    }

    private static L2Switch New(SwitchSpec spec, List<int> ports, int routerMember)
    {
        var ageingTicks = (long)(spec.Ageing.TotalSeconds * Stopwatch.Frequency);
        return new L2Switch(spec.Name, [.. ports],
            new MacTable(ports.Count, spec.MacLimit, ageingTicks),
            new StormControl(ports.Count, spec.StormRate, Stopwatch.Frequency), routerMember,
            VlansOf(spec, ports.Count));
    }

    /// <summary>The switches with a router interface, in the order their ports are numbered.</summary>
    public static IEnumerable<SwitchSpec> RouterInterfaces(LabTopology lab) => lab.Switches.Where(s => !s.Gateways.IsEmpty);

    /// <summary>Each member's VLAN role as the file gives it; a router interface, the last member, stays an access port of VLAN 1.</summary>
    private static SwitchVlans VlansOf(SwitchSpec spec, int memberCount)
    {
        var vlans = new SwitchVlans(memberCount);
        for (var member = 0; member < spec.Ports.Length; member++)
        {
            var role = spec.VlanOf(member);
            if (role.IsTrunk)
                vlans.SetTrunk(member, role.Trunk, role.Native);
            else
                vlans.SetAccess(member, role.Vlan);
        }
        return vlans;
    }
}
