using System.Runtime.InteropServices;
using Engine.Native.Interop;

namespace Engine.Native.Sockets;

/// <summary>
/// Reusable native headers for sendmmsg/recvmmsg: per datagram up to two buffer pieces (a
/// header and a packet) and room for its source or destination address. One batch of frames
/// goes out, or comes in, in one system call.
/// </summary>
public sealed unsafe class DatagramVectors : IDisposable
{
    private const int PiecesPerDatagram = 2;

    private Libc.MMsgHdr* _messages;
    private Libc.IoVec* _pieces;
    private byte* _addresses;

    public DatagramVectors(int capacity)
    {
        Capacity = capacity;
        _messages = (Libc.MMsgHdr*)NativeMemory.AllocZeroed((nuint)capacity, (nuint)sizeof(Libc.MMsgHdr));
        _pieces = (Libc.IoVec*)NativeMemory.AllocZeroed((nuint)(capacity * PiecesPerDatagram), (nuint)sizeof(Libc.IoVec));
        _addresses = (byte*)NativeMemory.AllocZeroed((nuint)(capacity * Libc.SockAddrStorageSize));
    }

    public int Capacity { get; }

    internal Libc.MMsgHdr* Messages => _messages;

    /// <summary>Datagram <paramref name="index"/> is <paramref name="length"/> bytes at <paramref name="start"/> (or, receiving, may fill that much).</summary>
    public void Set(int index, byte* start, int length) => Set(index, start, length, null, 0);

    /// <summary>Datagram <paramref name="index"/> is a header followed by a packet.</summary>
    public void Set(int index, byte* header, int headerLength, byte* packet, int packetLength)
    {
        if ((uint)index >= (uint)Capacity) throw new ArgumentOutOfRangeException(nameof(index));
        var pieces = _pieces + index * PiecesPerDatagram;
        pieces[0].Base = header;
        pieces[0].Length = (nuint)headerLength;
        pieces[1].Base = packet;
        pieces[1].Length = (nuint)packetLength;
        ref var message = ref _messages[index];
        message.Header.Iov = pieces;
        message.Header.IovLength = packet is null ? 1u : 2u;
        message.Header.Name = _addresses + index * Libc.SockAddrStorageSize;
        message.Header.NameLength = Libc.SockAddrStorageSize;
        message.Header.Flags = 0;
        message.Length = 0;
    }

    /// <summary>Sends datagram <paramref name="index"/> to <paramref name="sockaddr"/> (an unconnected socket), or, when empty, to the connected peer.</summary>
    public void SetDestination(int index, ReadOnlySpan<byte> sockaddr)
    {
        ref var message = ref _messages[index];
        if (sockaddr.IsEmpty)
        {
            message.Header.Name = null;
            message.Header.NameLength = 0;
            return;
        }
        var slot = new Span<byte>(_addresses + index * Libc.SockAddrStorageSize, Libc.SockAddrStorageSize);
        sockaddr.CopyTo(slot);
        message.Header.Name = _addresses + index * Libc.SockAddrStorageSize;
        message.Header.NameLength = (uint)sockaddr.Length;
    }

    /// <summary>Bytes received into datagram <paramref name="index"/>.</summary>
    public int ReceivedLength(int index) => (int)_messages[index].Length;

    /// <summary>True when datagram <paramref name="index"/> was longer than its buffer (MSG_TRUNC).</summary>
    public bool Truncated(int index) => (_messages[index].Header.Flags & Libc.MSG_TRUNC) != 0;

    /// <summary>The sockaddr datagram <paramref name="index"/> came from.</summary>
    public ReadOnlySpan<byte> Source(int index) =>
        new(_addresses + index * Libc.SockAddrStorageSize, (int)Math.Min(_messages[index].Header.NameLength, (uint)Libc.SockAddrStorageSize));

    public void Dispose()
    {
        if (_messages is null) return;
        NativeMemory.Free(_messages);
        NativeMemory.Free(_pieces);
        NativeMemory.Free(_addresses);
        _messages = null;
    }
}
