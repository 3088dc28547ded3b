using Engine.Actors.Offload;

namespace Engine.Tests.Offload;

/// <summary>
/// Segments into fixed-size slots of one span, lengths into another: the shape of a batch of
/// equal buffers, as a ref struct so nothing about it can allocate.
/// </summary>
internal ref struct SlotSink : ISegmentSink
{
    private readonly Span<byte> _space;
    private readonly Span<int> _lengths;
    private readonly int _slotSize;

    public SlotSink(Span<byte> space, int slotSize, Span<int> lengths)
    {
        _space = space;
        _slotSize = slotSize;
        _lengths = lengths;
    }

    public int Count { get; private set; }

    public Span<byte> Reserve(int length)
    {
        if (Count == _lengths.Length || length > _slotSize)
            return default;
        return _space.Slice(Count * _slotSize, _slotSize);
    }

    public void Commit(int length) => _lengths[Count++] = length;

    public Span<byte> Segment(int index) => _space.Slice(index * _slotSize, _lengths[index]);
}
