namespace Engine.Commands;

/// <summary>What `engine run` was asked: the lab, its log options, and its readiness options.</summary>
internal sealed record RunOptions(FileInfo Config, LogOptions Log, string? ReadyFile, IReadOnlyList<string> WaitPeers);
