namespace Engine.Actors.Offload;

/// <summary>
/// Hands out the buffers segmentation writes into, one segment at a time: a batch of pooled
/// frame buffers, or slots in one large span. Implement it on a struct (or a ref struct) and
/// pass it by ref, so the calls are direct and nothing is boxed.
/// </summary>
public interface ISegmentSink
{
    /// <summary>
    /// Space for the next segment, at least <paramref name="length"/> bytes, or an empty span
    /// when the sink has no more room.
    /// </summary>
    Span<byte> Reserve(int length);

    /// <summary>The segment written into the last reserved space is <paramref name="length"/> bytes long.</summary>
    void Commit(int length);
}
