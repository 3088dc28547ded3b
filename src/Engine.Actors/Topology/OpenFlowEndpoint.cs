using System.Net;

namespace Engine.Actors.Topology;

/// <summary>
/// A controller the engine dials, or where it listens for them: an address and whether the
/// channel is TLS. Written as Open vSwitch writes them: <c>tcp:IP:PORT</c> and <c>ssl:IP:PORT</c>
/// to dial, <c>ptcp:PORT:IP</c> and <c>pssl:PORT:IP</c> to listen.
/// </summary>
public sealed record OpenFlowEndpoint(IPEndPoint Address, bool Tls = false)
{
    /// <summary>A controller to dial, as the lab file writes it: "tcp:127.0.0.1:6653", "ssl:[::1]:6653".</summary>
    public string Describe() => (Tls ? "ssl:" : "tcp:") + Address;

    /// <summary>A listener, as the lab file writes it: "ptcp:6653:0.0.0.0", "pssl:6653:127.0.0.1".</summary>
    public string DescribeListen() => $"{(Tls ? "pssl" : "ptcp")}:{Address.Port}:{Address.Address}";

    public override string ToString() => Describe();
}
