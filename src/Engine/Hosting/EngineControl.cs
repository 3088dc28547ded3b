using System.Net.Sockets;

namespace Engine.Hosting;

/// <summary>How a running engine is driven and watched: its control socket, already listening, and its readiness options.</summary>
public sealed record EngineControl(Socket Listener, string SocketPath, ReadinessOptions Readiness);
