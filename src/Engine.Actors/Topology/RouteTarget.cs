using System.Net;

namespace Engine.Actors.Topology;

/// <summary>What a route's via or backup names: a port (by <see cref="Text"/>) or a next-hop <see cref="Address"/>.</summary>
public readonly record struct RouteTarget(string Text, IPAddress? Address);
