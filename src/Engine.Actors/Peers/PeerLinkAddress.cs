using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Engine.Actors.Buffers;

namespace Engine.Actors.Peers;

internal static unsafe class PeerLinkAddress
{
    /// <summary>Address of frame <paramref name="index"/>: frame buffers live on the pinned heap, so it stays valid.</summary>
    public static byte* Of(FrameBatch batch, int index) =>
        OfBuffer(batch, index) + batch.Offset(index);

    /// <summary>Start of the buffer in slot <paramref name="index"/>, for receiving into it.</summary>
    public static byte* OfBuffer(FrameBatch batch, int index) =>
        (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(batch.Buffer(index)));
}
