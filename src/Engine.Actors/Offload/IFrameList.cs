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

    /// <summary>
    /// Whether packet <paramref name="index"/>'s checksum is still to be finished by whoever takes
    /// it (NEEDS_CSUM: the field holds the pseudo-header sum), and if so, where the checksummed
    /// bytes start (from the IP header) and where in them the field sits.
    /// </summary>
    bool TryGetPendingChecksum(int index, out int start, out int offset);
}
