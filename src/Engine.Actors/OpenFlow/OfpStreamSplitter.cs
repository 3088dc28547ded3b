namespace Engine.Actors.OpenFlow;

/// <summary>What <see cref="OfpStreamSplitter.Next"/> found at the front of the received bytes.</summary>
public enum OfpSplit
{
    /// <summary>A whole message of the returned length.</summary>
    Message,
    /// <summary>Not yet a whole message: read more.</summary>
    NeedMore,
    /// <summary>A header whose length is shorter than the header itself: the stream cannot be followed and the connection closes.</summary>
    LyingLength,
}

/// <summary>
/// Cuts an OpenFlow byte stream into messages by their headers' lengths. A length below the
/// header's 8 bytes cannot be skipped over, so nothing after it can be trusted: that, alone, closes
/// the connection. Every other message, however wrong inside, is answered with an ERROR.
/// </summary>
public static class OfpStreamSplitter
{
    /// <summary>The largest message: the header's length field is 16 bits.</summary>
    public const int MaxMessage = ushort.MaxValue;

    public static OfpSplit Next(ReadOnlySpan<byte> received, out int length)
    {
        length = 0;
        if (!OfpHeader.TryRead(received, out var header))
            return OfpSplit.NeedMore;
        length = header.Length;
        if (length < OfpHeader.Size)
            return OfpSplit.LyingLength;
        return received.Length >= length ? OfpSplit.Message : OfpSplit.NeedMore;
    }
}
