using Engine.Actors.Topology;

namespace Engine.Commands;

/// <summary>
/// Where a lab's control socket is: the lab's <c>control.socket</c>, else
/// /run/engine/&lt;the lab file's name without its extension&gt;.sock (lab.hocon: /run/engine/lab.sock).
/// `run` serves it there and the other commands look for it there, from the same file.
/// </summary>
internal static class ControlSocketPath
{
    public static string Of(FileInfo config, EngineSettings settings) =>
        settings.ControlSocket ?? $"{LabLocks.Directory}/{Path.GetFileNameWithoutExtension(config.Name)}.sock";
}
