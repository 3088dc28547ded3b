using Engine.Actors.Offload;

namespace Engine.Tests.Offload;

/// <summary>Collects each committed segment as its own array, up to <c>capacity</c> segments.</summary>
internal sealed class ListSink(int capacity = 1000, int bufferSize = 2048) : ISegmentSink
{
    private readonly byte[] _buffer = new byte[bufferSize];

    public List<byte[]> Segments { get; } = [];

    public Span<byte> Reserve(int length) =>
        Segments.Count == capacity || length > _buffer.Length ? default : _buffer;

    public void Commit(int length) => Segments.Add(_buffer[..length]);
}
