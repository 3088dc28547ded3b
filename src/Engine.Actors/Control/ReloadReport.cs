using System.Text.Json;
using Engine.Actors.Lab;

namespace Engine.Actors.Control;

/// <summary>
/// The "reload" answer (docs/control.md): per kind of item (devices, peers, routes), what was
/// added, removed and recreated, and the new ports not up yet; or, for a reload that changed
/// nothing, why, with each <c>path: reason</c> line in "errors" (a bad file is a bad request, exit 2).
/// </summary>
public static class ReloadReport
{
    public static byte[] Write(ReloadAnswer answer)
    {
        if (answer.Applied is not { } diff)
        {
            var reason = answer.BadInput
                ? "the lab file was not applied, nothing changed:\n" + string.Join('\n', answer.Errors)
                : string.Join('\n', answer.Errors);
            return ControlReply.Error(answer.BadInput ? ControlErrorKind.BadRequest : ControlErrorKind.Failed, reason, json =>
            {
                json.WriteStartArray("errors");
                foreach (var line in answer.Errors) json.WriteStringValue(line);
                json.WriteEndArray();
            });
        }
        return ControlReply.Ok(json =>
        {
            json.WriteBoolean("changed", !diff.IsEmpty);
            WriteChanges(json, "devices", diff.Devices);
            WriteChanges(json, "peers", diff.Peers);
            WriteChanges(json, "routes", diff.Routes);
            WriteChanges(json, "switches", diff.Switches);
            WriteChanges(json, "wires", diff.Wires);
            json.WriteStartArray("not_up");
            foreach (var name in answer.NotUp) json.WriteStringValue(name);
            json.WriteEndArray();
        });
    }

    private static void WriteChanges(Utf8JsonWriter json, string kind, LabItemChanges changes)
    {
        json.WriteStartObject(kind);
        WriteNames(json, "added", changes.Added);
        WriteNames(json, "removed", changes.Removed);
        WriteNames(json, "recreated", changes.Changed);
        json.WriteEndObject();
    }

    private static void WriteNames(Utf8JsonWriter json, string name, IReadOnlyList<string> names)
    {
        json.WriteStartArray(name);
        foreach (var item in names) json.WriteStringValue(item);
        json.WriteEndArray();
    }
}
