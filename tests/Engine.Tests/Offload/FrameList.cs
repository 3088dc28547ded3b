using Engine.Actors.Offload;

namespace Engine.Tests.Offload;

/// <summary>
/// A batch of packets, one array each, as the coalescer reads it. <paramref name="pending"/>
/// gives, per packet, its pending (NEEDS_CSUM) checksum's start and offset, or null for a final
/// one; all are final when it is absent.
/// </summary>
internal readonly struct FrameList(IReadOnlyList<byte[]> frames, IReadOnlyList<(int Start, int Offset)?>? pending = null) : IFrameList
{
    public int Count => frames.Count;

    public ReadOnlySpan<byte> Frame(int index) => frames[index];

    public bool TryGetPendingChecksum(int index, out int start, out int offset)
    {
        (start, offset) = pending?[index] ?? (0, 0);
        return pending?[index] is not null;
    }
}
