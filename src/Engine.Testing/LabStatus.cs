using System.Text.Json;

namespace Engine.Testing;

/// <summary>
/// A running lab's <c>status</c> answer (docs/control.md) as typed records: whether it is up, its
/// ports with their counters and drops, and the router's totals.
/// </summary>
public sealed record LabStatus(bool Up, string Node, IReadOnlyList<PortStatus> Ports, RouterTotals Router)
{
    /// <summary>The names the engine's JSON uses: snake_case, as <c>engine status --json</c> prints them.</summary>
    public static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public PortStatus Port(string name) =>
        Ports.SingleOrDefault(port => port.Name == name)
        ?? throw new KeyNotFoundException($"no port {name} in the lab's status; ports: {string.Join(", ", Ports.Select(port => port.Name))}");

    /// <summary>Reads <c>engine status --json</c>'s output, or the control socket's answer line.</summary>
    public static LabStatus Parse(string json) =>
        JsonSerializer.Deserialize<LabStatus>(json, Json) ?? throw new JsonException($"not a status answer: {json}");
}
