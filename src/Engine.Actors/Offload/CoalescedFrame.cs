using Engine.Actors.Wire;

namespace Engine.Actors.Offload;

/// <summary>
/// One packet the coalescer hands to the device: <see cref="FrameCount"/> input frames, starting
/// with <see cref="FirstFrame"/>, merged into one IP packet of <see cref="PacketLength"/> bytes.
/// A lone frame (<see cref="IsMerged"/> false) goes out unchanged behind an all-zero virtio
/// header; the caller may write that header into its headroom instead of copying the frame.
/// </summary>
public readonly record struct CoalescedFrame(int FirstFrame, int FrameCount, int PacketLength)
{
    public bool IsMerged => FrameCount > 1;

    /// <summary>Bytes written to the device: virtio header and packet.</summary>
    public int WireLength => VirtioNetHeader.Length + PacketLength;
}
