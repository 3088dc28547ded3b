using System.Collections.Immutable;
using System.Net;

namespace Engine.Actors.Topology;

/// <summary>
/// A peer's <c>connect</c>, <c>listen</c> and <c>allow</c> keys. A stream socket (tcp, unix) is
/// either the client or the server side, so it has exactly one of connect and listen; a udp
/// socket may bind, send, or both. Until the transport is known the endpoints' text cannot be
/// judged, and only their shape is checked.
/// </summary>
internal static class PeerEndpointRules
{
    public static PeerEndpoints Read(ObjectReader reader, PeerTransport? transport, ErrorList errors)
    {
        var connect = ReadEndPoint(reader, "connect", transport, errors);
        var listen = ReadEndPoint(reader, "listen", transport, errors);
        // A key written with a bad value still counts as written: one mistake, one error.
        var hasConnect = !reader.IsAbsent("connect");
        var hasListen = !reader.IsAbsent("listen");
        if (transport is { } known && PresenceProblem(known, hasConnect, hasListen) is { } problem)
            errors.Add(reader.Path, problem);
        else if (connect is not null && connect.Equals(listen))
            errors.Add(reader.PathOf("connect"), $"{connect} is the peer's own listen address: it would send to itself");
        var allow = ReadAllow(reader, transport, hasListen, errors);
        return new PeerEndpoints(connect, listen, allow);
    }

    private static EndPoint? ReadEndPoint(ObjectReader reader, string key, PeerTransport? transport, ErrorList errors)
    {
        var expectation = transport == PeerTransport.Unix ? "a socket path or @name" : "an endpoint like 127.0.0.1:5555";
        if (reader.Scalar(key, expectation) is not { } written || transport is not { } known)
            return null;
        EndPoint? endPoint;
        string? problem;
        if (known == PeerTransport.Unix)
        {
            problem = PeerEndpointText.ParseUnix(written.Text, out var unix);
            endPoint = unix;
        }
        else
        {
            problem = PeerEndpointText.ParseIP(written.Text, listen: key == "listen", out var ip);
            endPoint = ip;
        }
        if (problem is not null)
            errors.Add(written.Path, problem);
        return endPoint;
    }

    private static string? PresenceProblem(PeerTransport transport, bool hasConnect, bool hasListen)
    {
        var name = PeerNames.Of(transport);
        if (transport == PeerTransport.Udp)
            return hasConnect || hasListen ? null : "a udp peer needs listen, connect or both";
        if (hasConnect && hasListen)
            return $"a {name} peer either connects or listens: give connect or listen, not both (only udp takes both)";
        if (!hasConnect && !hasListen)
            return $"a {name} peer needs connect (to dial the peer) or listen (to accept it)";
        return null;
    }

    private static ImmutableArray<IPNetwork> ReadAllow(ObjectReader reader, PeerTransport? transport, bool hasListen, ErrorList errors)
    {
        var written = reader.ScalarOrList("allow", "a prefix or an address");
        if (written.Count == 0)
            return [];
        if (transport == PeerTransport.Unix)
        {
            errors.Add(reader.PathOf("allow"), "allow filters IP source addresses; a unix socket has none");
            return [];
        }
        if (transport is not null && !hasListen)
        {
            errors.Add(reader.PathOf("allow"), "allow filters who may reach a listener, and this peer does not listen");
            return [];
        }
        return AllowText.Read(written, errors);
    }
}
