namespace Engine.Testing;

/// <summary>The router's totals in <see cref="LabStatus"/>, and the frame pool's size.</summary>
public sealed record RouterTotals(
    long Forwarded,
    long IcmpErrorsSent,
    long IcmpErrorsRateLimited,
    long EchoReplies,
    long DroppedBeforeTable,
    long PoolBatches,
    long PoolBytes);
