namespace Engine.Actors.Topology;

/// <summary>How the engine writes its log lines, on the console and in the log file alike.</summary>
public enum LogFormat
{
    /// <summary>One line of text an operator reads.</summary>
    Text,

    /// <summary>One JSON object a line (Serilog's compact format, message rendered), for jq and log collectors.</summary>
    Json,
}
