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
        var routerPort = lab.Devices.Length + lab.Peers.Length;
        var memberships = new SwitchMembership?[routerPort + RouterInterfaces(lab).Count()];
        foreach (var spec in lab.Switches)
        {
            var ports = spec.Ports.Select(portIndex).ToList();
            var routerMember = -1;
            if (!spec.Gateways.IsEmpty)
            {
                routerMember = ports.Count;
                ports.Add(routerPort++);
            }
            var ageingTicks = (long)(spec.Ageing.TotalSeconds * Stopwatch.Frequency);
            var l2 = new L2Switch(spec.Name, [.. ports],
                new MacTable(ports.Count, spec.MacLimit, ageingTicks),
                new StormControl(ports.Count, spec.StormRate, Stopwatch.Frequency), routerMember,
                VlansOf(spec, ports.Count));
            for (var member = 0; member < ports.Count; member++)
                memberships[ports[member]] = new SwitchMembership(l2, member);
        }
        return memberships;
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
