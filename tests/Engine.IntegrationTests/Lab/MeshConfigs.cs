using System.Net;
using System.Net.Sockets;
using System.Text;
using Engine.IntegrationTests.Infrastructure;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// Lab files for meshes of engines: engine k owns host "h{k}" (device, namespace and subnet as
/// in <see cref="LabConfigs"/>) and reaches every other host through the peer its test names.
/// Peers talk over loopback or Unix sockets only.
/// </summary>
public static class MeshConfigs
{
    /// <param name="peers">HOCON peer entries, one per line.</param>
    /// <param name="remoteVia">For each other node: the peer (and optional backup) its subnet is routed through.</param>
    public static string Node(TestLab lab, int node, int subnet, IEnumerable<string> peers, IReadOnlyDictionary<int, string> remoteVia)
    {
        var device = lab.Device($"h{node}");
        var text = new StringBuilder($"engine {{\n  node-name = node{node}\n  counters-interval = 1s\n  devices = [\n");
        text.Append($"    {{ name = {device}, type = tun, namespace = {lab.Namespace($"h{node}")}, ")
            .Append($"address = [\"{LabConfigs.V4(subnet, node)}/24\", \"{LabConfigs.V6(subnet, node)}/64\"], ")
            .Append($"gateway = [\"{LabConfigs.GatewayV4(subnet, node)}\", \"{LabConfigs.GatewayV6(subnet, node)}\"] }}\n  ]\n");
        text.Append("  peers = [\n");
        foreach (var peer in peers) text.Append("    ").Append(peer).Append('\n');
        text.Append("  ]\n  routes = [\n");
        text.Append($"    {{ prefix = \"10.{subnet}.{node}.0/24\", via = {device} }}\n");
        text.Append($"    {{ prefix = \"fd{subnet:x2}:{node}::/64\", via = {device} }}\n");
        foreach (var (other, via) in remoteVia)
        {
            text.Append($"    {{ prefix = \"10.{subnet}.{other}.0/24\", {via} }}\n");
            text.Append($"    {{ prefix = \"fd{subnet:x2}:{other}::/64\", {via} }}\n");
        }
        return text.Append("  ]\n}\n").ToString();
    }

    /// <summary>
    /// Two engines joined by one `engine`-framed TCP link over loopback: node 1 listens (its peer is
    /// "n2"), node 2 dials it (its peer is "n1"), and each routes the other's host through the link.
    /// </summary>
    public static (string One, string Two) Pair(TestLab lab, int subnet)
    {
        var port = FreePort();
        string Link(string name, string role) =>
            $"{{ name = {name}, role = engine, transport = tcp, {role} = \"127.0.0.1:{port}\", framing = engine }}";
        return (Node(lab, 1, subnet, [Link("n2", "listen")], new Dictionary<int, string> { [2] = "via = n2" }),
                Node(lab, 2, subnet, [Link("n1", "connect")], new Dictionary<int, string> { [1] = "via = n1" }));
    }

    /// <summary>A loopback port nobody listens on right now.</summary>
    public static int FreePort(bool udp = false)
    {
        using var socket = udp
            ? new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp)
            : new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
