using System.Text.Json;
using Engine.Actors.Lab;
using Engine.Actors.Router;
using Engine.Actors.Topology;

namespace Engine.Actors.Control;

/// <summary>
/// The "routes" answer (docs/control.md): the lab's table as <see cref="RoutePlan"/> builds it,
/// connected and static routes in the router's order, each with its next hop and backup, whether
/// it is active (and why not), and whether its backup is in use because the next hop's link is down.
/// </summary>
public static class RouteReport
{
    public static void Write(Utf8JsonWriter json, LabView lab, RouterView? router)
    {
        json.WriteStartArray("routes");
        foreach (var route in RoutePlan.Build(lab.Lab))
        {
            json.WriteStartObject();
            json.WriteString("prefix", route.Prefix.ToString());
            json.WriteString("source", route.Origin == RouteOrigin.Connected ? "connected" : "static");
            if (route.Via is { } via) WriteHop(json, "via", via);
            else if (route.Written is { } written) json.WriteString("via", written.Via);
            if (route.Backup is { } backup) WriteHop(json, "backup", backup);
            json.WriteBoolean("active", route.IsActive);
            if (route.Inactive is { } why) json.WriteString("inactive", why);
            json.WriteBoolean("backup_in_use", route is { IsActive: true, Backup: not null } && router is not null
                && PortIndex(lab, route.Via!.Value.Port) is var port and >= 0 && router.DownPorts.Contains(port));
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteHop(Utf8JsonWriter json, string name, RouteHop hop)
    {
        json.WriteStartObject(name);
        json.WriteString("port", hop.Port);
        if (hop.Address is { } address) json.WriteString("address", address.ToString());
        json.WriteEndObject();
    }

    private static int PortIndex(LabView lab, string name)
    {
        foreach (var port in lab.Ports)
            if (port.Name == name) return port.Index;
        return -1;
    }
}
