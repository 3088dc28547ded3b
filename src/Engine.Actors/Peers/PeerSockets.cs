using System.Net;
using Engine.Actors.Topology;
using Engine.Native.Namespaces;
using Engine.Native.Sockets;

namespace Engine.Actors.Peers;

/// <summary>
/// Opens a peer's sockets. A socket belongs to the network namespace it was created in, so
/// a peer with a <c>namespace</c> creates its sockets there (on a short-lived thread that
/// enters it) and uses them from the reactor like any other.
/// </summary>
internal static class PeerSockets
{
    public static NativeSocket Open(PeerSpec spec, EndPoint endpoint, string description)
    {
        var stream = spec.Transport != PeerTransport.Udp;
        if (spec.Namespace is not { } name) return NativeSocket.Open(endpoint, stream, description);
        return NetworkNamespace.RunInside(name, () => NativeSocket.Open(endpoint, stream, description));
    }

    /// <summary>A TCP link: no Nagle delay, since the engine batches its own writes.</summary>
    public static void Tune(PeerSpec spec, NativeSocket socket)
    {
        if (spec.Transport == PeerTransport.Tcp) socket.SetNoDelay();
    }

    public static string Describe(PeerSpec spec, EndPoint endpoint, string direction) =>
        $"{PeerNames.Of(spec.Transport)} {direction} {endpoint} (peer {spec.Name})";
}
