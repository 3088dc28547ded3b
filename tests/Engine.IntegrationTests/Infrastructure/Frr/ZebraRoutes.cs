using System.Text.Json.Nodes;

namespace Engine.IntegrationTests.Infrastructure.Frr;

/// <summary>
/// zebra's selected routes as <c>show ip route [PROTOCOL] json</c> lists them, each with its active
/// next hops as the engine names them: the interface (a control-plane mirror carries its port's
/// name) and the gateway address, if any.
/// </summary>
public static class ZebraRoutes
{
    /// <param name="command">A vtysh <c>show ip route ... json</c> command.</param>
    public static Dictionary<string, IReadOnlySet<EngineHop>> Selected(FrrHost host, string command)
    {
        var selected = new Dictionary<string, IReadOnlySet<EngineHop>>();
        // Thousands of routes take vtysh some seconds to list.
        if (host.Json(command, TimeSpan.FromSeconds(120)) is not JsonObject routes) return selected;
        foreach (var (prefix, entries) in routes)
        {
            var route = entries?.AsArray().FirstOrDefault(entry => entry?["selected"]?.GetValue<bool>() == true);
            if (route is null) continue;
            selected[prefix] = route["nexthops"]!.AsArray()
                .Where(hop => hop?["active"]?.GetValue<bool>() == true)
                .Select(hop => new EngineHop(hop!["interfaceName"]!.GetValue<string>(), hop["ip"]?.GetValue<string>()))
                .ToHashSet();
        }
        return selected;
    }
}
