using Engine.Actors.Offload;

namespace Engine.Tests.Offload;

/// <summary>A batch of packets, one array each, as the coalescer reads it.</summary>
internal readonly struct FrameList(IReadOnlyList<byte[]> frames) : IFrameList
{
    public int Count => frames.Count;

    public ReadOnlySpan<byte> Frame(int index) => frames[index];
}
