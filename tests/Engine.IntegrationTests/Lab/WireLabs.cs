using Engine.IntegrationTests.Infrastructure;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// Lab files for two engines whose hosts are wired to the link between them: engine k owns host
/// r{k} (or t{k}) on one device, wired to the peer <c>far</c>; no routes.
/// </summary>
public static class WireLabs
{
    private const string Key = "wire-shared-secret-0001";

    /// <summary>Each engine's peer entry for the link to the other, named <c>far</c>.</summary>
    public static (string One, string Two) Links(TestLab lab, string transport, string framing)
    {
        var common = $"name = far, role = engine, transport = {transport}, framing = {framing}" + (framing == "engine" ? $", key = \"{Key}\"" : "");
        switch (transport)
        {
            case "udp":
                var (a, b) = (MeshConfigs.FreePort(udp: true), MeshConfigs.FreePort(udp: true));
                return ($"{{ {common}, listen = \"127.0.0.1:{a}\", connect = \"127.0.0.1:{b}\" }}",
                    $"{{ {common}, listen = \"127.0.0.1:{b}\", connect = \"127.0.0.1:{a}\" }}");
            case "unix":
                var path = $"@et{lab.Id}-wire";
                return ($"{{ {common}, listen = \"{path}\" }}", $"{{ {common}, connect = \"{path}\" }}");
            default:
                var port = MeshConfigs.FreePort();
                return ($"{{ {common}, listen = \"127.0.0.1:{port}\" }}", $"{{ {common}, connect = \"127.0.0.1:{port}\" }}");
        }
    }

    /// <summary>Engine <paramref name="node"/>: host <paramref name="host"/> on a device of <paramref name="type"/>, wired to the link.</summary>
    /// <param name="addresses">The host's addresses, as a HOCON list.</param>
    public static string Node(TestLab lab, int node, string host, string type, string addresses, string link) => $$"""
        engine {
          node-name = wire{{node}}
          counters-interval = 1s
          devices = [
            { name = {{lab.Device(host)}}, type = {{type}}, namespace = {{lab.Namespace(host)}}, address = {{addresses}} }
          ]
          peers = [ {{link}} ]
          wires = [ { ports = [{{lab.Device(host)}}, far] } ]
        }
        """;

    /// <summary>Brings up the host's loopback with an address of each family for its routing daemons to advertise.</summary>
    public static void AddLoopback(string ns, string v4, string v6)
    {
        foreach (var command in new[] { "ip link set lo up", $"ip addr add {v4}/32 dev lo", $"ip -6 addr add {v6}/128 dev lo" })
        {
            var result = Shell.InNamespace(ns, command);
            if (result.ExitCode != 0) throw new InvalidOperationException($"{command} in {ns}: {result.All}");
        }
    }
}
