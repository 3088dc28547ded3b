using System.Net;

namespace Engine.Actors.Topology;

/// <summary>The Prometheus endpoint (<c>engine.metrics</c>): where <c>/metrics</c> is served, in the engine's namespace.</summary>
public sealed record MetricsSpec(IPEndPoint Listen)
{
    /// <summary>The port a lab file without <c>listen</c> gets.</summary>
    public const int DefaultPort = 9108;

    public static readonly IPEndPoint DefaultListen = new(IPAddress.Loopback, DefaultPort);

    public string Describe() => $"metrics served at http://{Listen}/metrics in the engine's namespace";
}
