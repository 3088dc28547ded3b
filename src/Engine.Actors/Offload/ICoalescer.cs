namespace Engine.Actors.Offload;

/// <summary>
/// Plans a batch's packets into merged super-frames and lone packets, then writes each
/// (<see cref="TcpCoalescer"/>, <see cref="UdpCoalescer"/>). Each merges its own protocol and
/// passes everything else through alone.
/// </summary>
internal interface ICoalescer
{
    /// <summary>The number of packets the last <see cref="Coalesce"/> planned.</summary>
    int Count { get; }

    CoalescedFrame this[int index] { get; }

    int Coalesce<TFrames>(TFrames frames) where TFrames : IFrameList, allows ref struct;

    bool TryWrite<TFrames>(TFrames frames, int index, Span<byte> destination, out int written) where TFrames : IFrameList, allows ref struct;
}
