using Akka.Actor;
using Engine.Actors.Counters;
using Engine.Actors.Lab;
using Engine.Actors.Router;
using Engine.Actors.Routing;

namespace Engine.Tests.Control;

/// <summary>A small lab as the lab actor would describe it: a tun, a tap and a peer, with a static route that has a backup.</summary>
internal static class ControlLab
{
    public static LabView View(IActorRef? router = null, IActorRef? target = null)
    {
        var lab = Engine.Tests.Topology.Lab.Valid("""
            engine {
              node-name = west
              devices = [
                { name = tun-a, type = tun, namespace = host-a, address = "10.0.1.1/24", gateway = "10.0.1.254" }
                { name = tap-b, type = tap, namespace = host-b, address = "10.0.2.1/24", gateway = "10.0.2.254" }
              ]
              peers = [ { name = east, role = engine, transport = tcp, connect = "127.0.0.1:7000", framing = engine } ]
              routes = [
                { prefix = "10.0.9.0/24", via = east, backup = tun-a }
                { prefix = "10.0.8.0/24", via = "10.0.7.1" }
              ]
            }
            """);
        var ports = new[]
        {
            new Port(0, "tun-a", target ?? ActorRefs.Nobody, 1500, new PortCounters()),
            new Port(1, "tap-b", target ?? ActorRefs.Nobody, 1500, new PortCounters()) { IsEthernet = true },
            new Port(2, "east", target ?? ActorRefs.Nobody, 1500, new PortCounters()) { IsPeer = true },
        };
        ports[0].Counters.AddRx(3, 252);
        ports[0].Counters.AddDrop(DropReason.NoRoute, 2);
        return new LabView(lab, ports, new RouterCounters(), null, router, Up: true);
    }

    public static RouterView Router => new([PortOffloads.PartialChecksum | PortOffloads.TcpV4, PortOffloads.None, PortOffloads.None]);

    /// <summary>The route book of <see cref="View"/>'s lab, built as the lab builds it, with the given peer links up.</summary>
    public static RouteBookView Book(params int[] upPorts)
    {
        var view = View();
        var routes = LabRoutes.Build(view.Lab, name => view.Ports.First(p => p.Name == name).Index, Akka.Event.NoLogger.Instance);
        var book = new RouteBook(new RouteTable(view.Ports, routes));
        foreach (var port in upPorts) book.SetLink(port, up: true);
        return new RouteBookView([.. book.All().Select(r => new BookRoute(r.Route, r.Installed))], new HashSet<int>(book.DownPorts));
    }
}
