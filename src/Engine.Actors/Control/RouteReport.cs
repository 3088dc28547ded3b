using System.Text.Json;
using Engine.Actors.Fpm;
using Engine.Actors.Lab;
using Engine.Actors.Router;
using Engine.Actors.Routing;
using Engine.Actors.Topology;

namespace Engine.Actors.Control;

/// <summary>
/// The "routes" answer (docs/control.md): the live table as the route book holds it, every
/// source's routes (connected, static, runtime, FPM), nearest source first and by prefix within
/// each (as `ip route` lists them; the book holds them in no order), each with its next
/// hop, its paths (multipath) or what it refuses (blackhole, unreachable, prohibit), its backup,
/// whether it is the one installed for its prefix, and whether its backup is in use because the
/// next hop's link is down; then zebra's and the lab file's routes that could not be installed, with why.
/// </summary>
public static class RouteReport
{
    public static void Write(Utf8JsonWriter json, LabView lab, RouteBookView? book, InactiveFpmRoutes? fpm = null)
    {
        json.WriteStartArray("routes");
        if (book is not null)
            foreach (var (route, installed) in book.Routes.OrderBy(r => r.Route.Source).ThenBy(r => r.Route.Prefix))
                WriteRoute(json, lab, route, installed, book.DownPorts);
        foreach (var (prefix, reason) in fpm?.Routes ?? [])
            WriteInactive(json, prefix.ToString(), "fpm", via: null, reason);
        foreach (var route in RoutePlan.Build(lab.Lab))
        {
            if (route.IsActive) continue;
            var via = route.Written is { } written ? written.Paths is { } paths ? string.Join(", ", paths.Select(p => p.Text)) : written.Via : null;
            WriteInactive(json, route.Prefix.ToString(), "static", via, route.Inactive);
        }
        json.WriteEndArray();
    }

    private static void WriteInactive(Utf8JsonWriter json, string prefix, string source, string? via, string? reason)
    {
        json.WriteStartObject();
        json.WriteString("prefix", prefix);
        json.WriteString("source", source);
        if (via is not null) json.WriteString("via", via);
        json.WriteBoolean("active", false);
        json.WriteString("inactive", reason);
        json.WriteBoolean("backup_in_use", false);
        json.WriteEndObject();
    }

    private static void WriteRoute(Utf8JsonWriter json, LabView lab, TableRoute route, bool installed, IReadOnlySet<int> downPorts)
    {
        json.WriteStartObject();
        json.WriteString("prefix", route.Prefix.ToString());
        json.WriteString("source", route.Source.ToString().ToLowerInvariant());
        if (!route.Via.Forwards)
            json.WriteString("refuses", route.Via.Kind.ToString().ToLowerInvariant());
        else
            WriteHop(json, "via", lab, route.Via, route.Prefix.IsIPv6);
        if (route.Paths is { } paths)
        {
            json.WriteStartArray("paths");
            foreach (var path in paths)
            {
                json.WriteStartObject();
                WriteHopFields(json, lab, path.Hop, route.Prefix.IsIPv6);
                json.WriteNumber("weight", path.Weight);
                json.WriteBoolean("up", !downPorts.Contains(path.Hop.Port));
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        if (route.Backup is { } backup) WriteHop(json, "backup", lab, backup, route.Prefix.IsIPv6);
        json.WriteBoolean("active", installed);
        if (!installed) json.WriteString("inactive", "a nearer source's route to this prefix is installed");
        json.WriteBoolean("backup_in_use", installed && route.Backup is not null && downPorts.Contains(route.Via.Port));
        json.WriteEndObject();
    }

    private static void WriteHop(Utf8JsonWriter json, string name, LabView lab, NextHop hop, bool isIPv6)
    {
        json.WriteStartObject(name);
        WriteHopFields(json, lab, hop, isIPv6);
        json.WriteEndObject();
    }

    private static void WriteHopFields(Utf8JsonWriter json, LabView lab, NextHop hop, bool isIPv6)
    {
        json.WriteString("port", (uint)hop.Port < (uint)lab.Ports.Count ? lab.Ports[hop.Port].Name : hop.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // An IPv4 next hop is held in the low 32 bits: the route's family says which it is.
        if (hop.IsGateway) json.WriteString("address", isIPv6 ? IpPrefix.FormatIpv6(hop.Address) : IpPrefix.FormatIpv4((uint)hop.Address));
    }
}
