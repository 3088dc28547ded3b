namespace Engine.Actors.Offload;

/// <summary>How <see cref="GsoSegmenter.Segment"/> ended.</summary>
public enum SegmentResult : byte
{
    /// <summary>Every segment was written and committed.</summary>
    Done,

    /// <summary>
    /// The sink ran out of room. The segments already committed are complete packets and may be
    /// sent; the rest of the super-frame is lost (TCP retransmits it).
    /// </summary>
    OutOfBuffers,

    /// <summary>The layout is not a super-frame; nothing was written.</summary>
    NotGso,
}
