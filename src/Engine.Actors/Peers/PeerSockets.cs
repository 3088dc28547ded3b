using System.Net;
using Engine.Actors.Topology;
using Engine.Native;
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
    /// <summary>Opens the socket, blocking while a namespace is entered: at start, where failing is fatal.</summary>
    public static NativeSocket Open(PeerSpec spec, EndPoint endpoint, string description) =>
        OpenAsync(spec, endpoint, description).GetAwaiter().GetResult();

    /// <summary>
    /// <see cref="Open"/> for a caller that must not block: in a namespace the socket is made on a
    /// thread of its own (entering a namespace means starting one and opening a path); elsewhere
    /// it is one syscall, made here.
    /// </summary>
    public static Task<NativeSocket> OpenAsync(PeerSpec spec, EndPoint endpoint, string description)
    {
        var stream = spec.Transport != PeerTransport.Udp;
        if (spec.Namespace is { } name) return NetworkNamespace.RunInsideAsync(name, () => NativeSocket.Open(endpoint, stream, description));
        try
        {
            return Task.FromResult(NativeSocket.Open(endpoint, stream, description));
        }
        catch (NativeException e)
        {
            return Task.FromException<NativeSocket>(e);
        }
    }

    /// <summary>A TCP link: no Nagle delay, since the engine batches its own writes.</summary>
    public static void Tune(PeerSpec spec, NativeSocket socket)
    {
        if (spec.Transport == PeerTransport.Tcp) socket.SetNoDelay();
    }

    /// <summary>Where a UDP peer's socket binds: its listen address, or any port of the family it connects to.</summary>
    public static EndPoint DatagramLocal(PeerSpec spec) => spec.Listen
        ?? new IPEndPoint(spec.Connect is IPEndPoint { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } ? IPAddress.IPv6Any : IPAddress.Any, 0);

    public static string DescribeDatagram(PeerSpec spec) =>
        Describe(spec, (EndPoint?)spec.Connect ?? DatagramLocal(spec), spec.Connect is null ? "on" : "to");

    /// <summary>Binds and connects a UDP peer's socket as its spec says, with room for bursts; disposes it if that fails.</summary>
    public static void SetUpDatagram(PeerSpec spec, NativeSocket socket)
    {
        try
        {
            if (spec.Listen is not null) socket.Bind(spec.Listen);
            if (spec.Connect is not null) socket.Connect(spec.Connect);
            socket.SetBufferSizes(4 << 20);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static string Describe(PeerSpec spec, EndPoint endpoint, string direction) =>
        $"{PeerNames.Of(spec.Transport)} {direction} {endpoint} (peer {spec.Name})";
}
