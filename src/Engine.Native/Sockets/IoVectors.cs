using System.Runtime.InteropServices;
using Engine.Native.Interop;

namespace Engine.Native.Sockets;

/// <summary>
/// A reusable native array of (pointer, length) pairs for one vectored send. The buffers it
/// points into must be pinned (the engine's frame buffers live on the pinned heap) and stay
/// alive until the send returns.
/// </summary>
public sealed unsafe class IoVectors : IDisposable
{
    private Libc.IoVec* _vectors;

    public IoVectors(int capacity)
    {
        Capacity = capacity;
        _vectors = (Libc.IoVec*)NativeMemory.AllocZeroed((nuint)capacity, (nuint)sizeof(Libc.IoVec));
    }

    public int Capacity { get; }

    public void Set(int index, byte* start, int length)
    {
        if ((uint)index >= (uint)Capacity) throw new ArgumentOutOfRangeException(nameof(index));
        _vectors[index].Base = start;
        _vectors[index].Length = (nuint)length;
    }

    internal Libc.IoVec* At(int index) => _vectors + index;

    public void Dispose()
    {
        if (_vectors is null) return;
        NativeMemory.Free(_vectors);
        _vectors = null;
    }
}
