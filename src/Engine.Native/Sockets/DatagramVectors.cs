using System.Runtime.InteropServices;
using Engine.Native.Interop;

namespace Engine.Native.Sockets;

/// <summary>
/// Reusable native headers for sendmmsg/recvmmsg: per message its buffer pieces, room for its
/// source or destination address, and room for one UDP control message. One batch of frames
/// goes out, or comes in, in one system call.
///
/// A message may carry several pieces sent as one UDP_SEGMENT send: the kernel cuts the bytes
/// into datagrams of the segment size, so a run of same-size datagrams crosses the stack once.
/// Received with UDP_GRO, one message may hold several datagrams, cut the same way.
/// </summary>
public sealed unsafe class DatagramVectors : IDisposable
{
    // CMSG_SPACE of a uint16 or an int: room for either control message.
    private const int ControlSize = 24;

    private Libc.MMsgHdr* _messages;
    private Libc.IoVec* _pieces;
    private byte* _addresses;
    private byte* _controls;

    public DatagramVectors(int capacity)
    {
        Capacity = capacity;
        _messages = (Libc.MMsgHdr*)NativeMemory.AllocZeroed((nuint)capacity, (nuint)sizeof(Libc.MMsgHdr));
        _pieces = (Libc.IoVec*)NativeMemory.AllocZeroed((nuint)capacity, (nuint)sizeof(Libc.IoVec));
        _addresses = (byte*)NativeMemory.AllocZeroed((nuint)(capacity * Libc.SockAddrStorageSize));
        _controls = (byte*)NativeMemory.AllocZeroed((nuint)(capacity * ControlSize));
    }

    /// <summary>Messages, and pieces, one batch may hold.</summary>
    public int Capacity { get; }

    internal Libc.MMsgHdr* Messages => _messages;

    /// <summary>Message <paramref name="index"/> is one datagram of <paramref name="length"/> bytes at <paramref name="start"/> (or, receiving, may fill that much).</summary>
    public void Set(int index, byte* start, int length)
    {
        SetPiece(index, start, length);
        SetSegments(index, index, 1, 0);
    }

    /// <summary>Receiving with UDP_GRO: message <paramref name="index"/> may fill <paramref name="length"/> bytes with several datagrams, and says their size.</summary>
    public void SetMerging(int index, byte* start, int length)
    {
        Set(index, start, length);
        ref var header = ref _messages[index].Header;
        header.Control = _controls + index * ControlSize;
        header.ControlLength = ControlSize;
    }

    /// <summary>Piece <paramref name="index"/>: one datagram's bytes, for <see cref="SetSegments"/>.</summary>
    public void SetPiece(int index, byte* start, int length)
    {
        if ((uint)index >= (uint)Capacity) throw new ArgumentOutOfRangeException(nameof(index));
        _pieces[index].Base = start;
        _pieces[index].Length = (nuint)length;
    }

    /// <summary>
    /// Message <paramref name="index"/> sends pieces <paramref name="firstPiece"/> onward
    /// (<paramref name="count"/> of them) as datagrams of <paramref name="segmentSize"/> bytes
    /// each, the last one no longer: every piece but the last must be exactly that long.
    /// </summary>
    public void SetSegments(int index, int firstPiece, int count, int segmentSize)
    {
        if ((uint)index >= (uint)Capacity) throw new ArgumentOutOfRangeException(nameof(index));
        if (count < 1 || firstPiece < 0 || firstPiece + count > Capacity) throw new ArgumentOutOfRangeException(nameof(count));
        ref var message = ref _messages[index];
        message.Header.Iov = _pieces + firstPiece;
        message.Header.IovLength = (nuint)count;
        message.Header.Name = _addresses + index * Libc.SockAddrStorageSize;
        message.Header.NameLength = Libc.SockAddrStorageSize;
        message.Header.Flags = 0;
        message.Length = 0;
        if (count == 1)
        {
            message.Header.Control = null;
            message.Header.ControlLength = 0;
            return;
        }
        var control = _controls + index * ControlSize;
        var cmsg = (Libc.CmsgHdr*)control;
        cmsg->Length = Libc.CmsgHeaderSize + sizeof(ushort);
        cmsg->Level = Libc.SOL_UDP;
        cmsg->Type = Libc.UDP_SEGMENT;
        *(ushort*)(control + Libc.CmsgHeaderSize) = checked((ushort)segmentSize);
        message.Header.Control = control;
        message.Header.ControlLength = ControlSize;
    }

    /// <summary>Sends message <paramref name="index"/> to <paramref name="sockaddr"/> (an unconnected socket), or, when empty, to the connected peer.</summary>
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

    /// <summary>Bytes received into message <paramref name="index"/>.</summary>
    public int ReceivedLength(int index) => (int)_messages[index].Length;

    /// <summary>True when message <paramref name="index"/> was longer than its buffer (MSG_TRUNC).</summary>
    public bool Truncated(int index) => (_messages[index].Header.Flags & Libc.MSG_TRUNC) != 0;

    /// <summary>
    /// The size of the datagrams merged into message <paramref name="index"/> (the last may be
    /// shorter), or 0 when it holds one datagram.
    /// </summary>
    public int SegmentSize(int index)
    {
        ref var header = ref _messages[index].Header;
        if (header.Control is null || header.ControlLength < Libc.CmsgHeaderSize + sizeof(int))
            return 0;
        var cmsg = (Libc.CmsgHdr*)header.Control;
        if (cmsg->Level != Libc.SOL_UDP || cmsg->Type != Libc.UDP_GRO || cmsg->Length < Libc.CmsgHeaderSize + sizeof(int))
            return 0;
        return *(int*)((byte*)header.Control + Libc.CmsgHeaderSize);
    }

    /// <summary>The sockaddr message <paramref name="index"/> came from.</summary>
    public ReadOnlySpan<byte> Source(int index) =>
        new(_addresses + index * Libc.SockAddrStorageSize, (int)Math.Min(_messages[index].Header.NameLength, (uint)Libc.SockAddrStorageSize));

    public void Dispose()
    {
        if (_messages is null) return;
        NativeMemory.Free(_messages);
        NativeMemory.Free(_pieces);
        NativeMemory.Free(_addresses);
        NativeMemory.Free(_controls);
        _messages = null;
    }
}
