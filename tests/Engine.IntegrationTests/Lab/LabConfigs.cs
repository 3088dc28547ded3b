using System.Text;
using Engine.IntegrationTests.Infrastructure;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// Lab files for the tests: host i lives in namespace "et{id}-h{i}" on device "et{id}h{i}",
/// with 10.{subnet}.{i}.1/24 and fd{subnet}:{i}::1/64, and the engine at .254 / ::fe.
/// </summary>
public static class LabConfigs
{
    /// <param name="settings">More keys for host i's device, e.g. "offload = off, queues = 2"; none when empty.</param>
    public static string Hosts(TestLab lab, int count, int subnet, Func<int, int>? mtu = null, Func<int, string>? type = null, Func<int, string>? settings = null)
    {
        var text = new StringBuilder("engine {\n  counters-interval = 1s\n  devices = [\n");
        for (var i = 1; i <= count; i++)
        {
            var more = settings?.Invoke(i) is { Length: > 0 } keys ? keys + ", " : "";
            text.Append($"    {{ name = {lab.Device($"h{i}")}, type = {type?.Invoke(i) ?? "tun"}, {more}namespace = {lab.Namespace($"h{i}")}, mtu = {mtu?.Invoke(i) ?? 1500}, ")
                .Append($"address = [\"{V4(subnet, i)}/24\", \"{V6(subnet, i)}/64\"], ")
                .Append($"gateway = [\"{GatewayV4(subnet, i)}\", \"{GatewayV6(subnet, i)}\"] }}\n");
        }
        text.Append("  ]\n  routes = [\n");
        for (var i = 1; i <= count; i++)
        {
            text.Append($"    {{ prefix = \"10.{subnet}.{i}.0/24\", via = {lab.Device($"h{i}")} }}\n");
            text.Append($"    {{ prefix = \"fd{subnet:x2}:{i}::/64\", via = {lab.Device($"h{i}")} }}\n");
        }
        return text.Append("  ]\n}\n").ToString();
    }

    public static string V4(int subnet, int host) => $"10.{subnet}.{host}.1";
    public static string V6(int subnet, int host) => $"fd{subnet:x2}:{host}::1";
    public static string GatewayV4(int subnet, int host) => $"10.{subnet}.{host}.254";
    public static string GatewayV6(int subnet, int host) => $"fd{subnet:x2}:{host}::fe";
}
