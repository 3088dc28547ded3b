using System.Diagnostics;
using Engine.Actors.Topology;

namespace Engine.Actors.Switching;

/// <summary>Turns a lab's switches into each member port's <see cref="SwitchMembership"/>, one learning table per switch.</summary>
public static class SwitchPlan
{
    /// <param name="portIndex">The port number of a device or peer name.</param>
    /// <returns>Each port's membership by port number; null for a port in no switch.</returns>
    public static SwitchMembership?[] Build(LabTopology lab, Func<string, int> portIndex)
    {
        var memberships = new SwitchMembership?[lab.Devices.Length + lab.Peers.Length];
        foreach (var spec in lab.Switches)
        {
            var ports = spec.Ports.Select(portIndex).ToArray();
            var ageingTicks = (long)(spec.Ageing.TotalSeconds * Stopwatch.Frequency);
            var l2 = new L2Switch(spec.Name, ports,
                new MacTable(ports.Length, spec.MacLimit, ageingTicks),
                new StormControl(ports.Length, spec.StormRate, Stopwatch.Frequency),
                VlansOf(spec));
            for (var member = 0; member < ports.Length; member++)
                memberships[ports[member]] = new SwitchMembership(l2, member);
        }
        return memberships;
    }

    private static SwitchVlans VlansOf(SwitchSpec spec)
    {
        var vlans = new SwitchVlans(spec.Ports.Length);
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
