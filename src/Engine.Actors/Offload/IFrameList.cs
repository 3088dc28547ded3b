namespace Engine.Actors.Offload;

/// <summary>
/// A batch of IP packets, each in its own buffer, read by index: what the coalescer merges.
/// Implement it on a struct (or a ref struct) over the caller's batch, so calls are direct
/// and nothing is boxed.
/// </summary>
public interface IFrameList
{
    int Count { get; }

    /// <summary>Packet <paramref name="index"/>, starting at its IP header.</summary>
    ReadOnlySpan<byte> Frame(int index);
}
