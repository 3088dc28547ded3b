using Engine.Actors.Offload;

namespace Engine.IntegrationTests.Native;

/// <summary>Keeps a copy of every segment the segmenter commits.</summary>
internal sealed class CollectingSink : ISegmentSink
{
    private readonly byte[] _buffer = new byte[2048];

    public List<byte[]> Segments { get; } = [];

    public Span<byte> Reserve(int length) => _buffer;

    public void Commit(int length) => Segments.Add(_buffer[..length]);
}
