namespace Engine.Actors.Router;

/// <summary>What the forwarder keeps between batches, for tests that account for every frame and every pool batch.</summary>
internal sealed partial class Forwarder
{
    /// <summary>Packets waiting for a neighbour's answer: neither forwarded nor dropped yet.</summary>
    internal int HeldFrames => _pending.HeldFrames;

    /// <summary>Packets wait for a neighbour's answer: <see cref="RetryHeld"/> has work.</summary>
    public bool HoldsFrames => _pending.Holds;

    /// <summary>Pool batches the forwarder holds on to after <see cref="Route"/> returns (held packets, the splitter's scratch).</summary>
    internal int BatchesKept => _pending.BatchesKept + _splitter.BatchesKept;
}
