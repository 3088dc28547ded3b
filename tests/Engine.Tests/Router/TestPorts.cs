using System.Diagnostics;
using Akka.Actor;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Routing;
using Engine.Actors.Switching;
using Engine.Actors.Wire;
using Engine.Tests.Wire;

namespace Engine.Tests.Router;

/// <summary>
/// The ports and pool a router test hands its router, each a probe behind the port: a tun with
/// its gateway address, a tap with the engine's MAC (Frames.RouterMac) and gateway addresses,
/// a switch member with a MAC of its own, and a switch whose MAC table ages in 300 s.
/// </summary>
internal static class TestPorts
{
    public static FrameBatchPool Pool() => new(batchCapacity: 16, bufferSize: 2048, maxBatches: 64);

    /// <param name="controlPlane">The port of its mirror in the control plane, if it has one.</param>
    /// <param name="mirrorOf">The port it mirrors, if it is a control-plane mirror.</param>
    public static Port Tun(int index, string name, IActorRef probe, string? gateway = null, string? gatewayV6 = null,
        int controlPlane = -1, int mirrorOf = -1) =>
        new(index, name, probe, 1500, new PortCounters())
        {
            Ipv4Address = gateway is null ? 0 : Packets.V4(gateway),
            Ipv6Address = gatewayV6 is null ? 0 : Packets.V6(gatewayV6),
            ControlPlane = controlPlane,
            MirrorOf = mirrorOf,
        };

    /// <param name="routerInterfaceOf">The switch whose router interface it is (its last member), if it is one.</param>
    public static Port Tap(int index, string name, IActorRef probe, string? gateway = null, string? gatewayV6 = null,
        int controlPlane = -1, int mirrorOf = -1, L2Switch? routerInterfaceOf = null) =>
        new(index, name, probe, 1500, new PortCounters())
        {
            IsEthernet = true,
            Mac = MacAddress.Parse(Frames.RouterMac),
            Ipv4Address = gateway is null ? 0 : Packets.V4(gateway),
            Ipv6Address = gatewayV6 is null ? 0 : Packets.V6(gatewayV6),
            ControlPlane = controlPlane,
            MirrorOf = mirrorOf,
            IsRouterInterface = routerInterfaceOf is not null,
            Switch = routerInterfaceOf is null ? null : new SwitchMembership(routerInterfaceOf, routerInterfaceOf.RouterMember),
        };

    public static Port Member(int index, string name, IActorRef probe, L2Switch lan, int member) =>
        new(index, name, probe, 1500, new PortCounters())
        {
            IsEthernet = true, Mac = MacAddress.LocallyAdministered(name), Switch = new SwitchMembership(lan, member),
        };

    /// <summary>A switch of <paramref name="ports"/>, whose member <paramref name="routerMember"/>, if any, is its router interface.</summary>
    public static L2Switch Lan(string name, int[] ports, int routerMember = -1) =>
        new(name, ports, new MacTable(ports.Length, 16, Stopwatch.Frequency * 300), new StormControl(ports.Length, 100, Stopwatch.Frequency), routerMember);
}
