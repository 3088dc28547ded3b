using System.Collections.Immutable;
using System.Net;

namespace Engine.Actors.Topology;

/// <summary>Where a peer's socket connects and listens, and whom a listener accepts.</summary>
internal readonly record struct PeerEndpoints(EndPoint? Connect, EndPoint? Listen, ImmutableArray<IPNetwork> Allow);
