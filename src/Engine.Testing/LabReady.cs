using System.Text.Json;

namespace Engine.Testing;

/// <summary>What a ready lab says of itself (the ready file, and `engine run --detach`'s output): its pid, control socket and ports.</summary>
public sealed record LabReady(int Pid, string Socket, IReadOnlyList<string> Ports)
{
    public static LabReady Parse(string json) =>
        JsonSerializer.Deserialize<LabReady>(json, LabStatus.Json) ?? throw new JsonException($"not a ready file: {json}");
}
