using System.Runtime.InteropServices;
using Engine.Native.Interop;
using Microsoft.Win32.SafeHandles;

namespace Engine.Native.Netlink;

/// <summary>Receives the messages of a dump, one at a time; the payload is only valid during the call.</summary>
internal delegate void NetlinkMessageVisitor<TState>(ushort type, ReadOnlySpan<byte> payload, TState state);

/// <summary>
/// An rtnetlink socket (AF_NETLINK, NETLINK_ROUTE). It stays bound to the network namespace of
/// the thread that created it, whatever thread uses it later: that is how the engine configures
/// namespaces without moving its own threads (see NetworkNamespace.OpenNetlinkSocket).
/// Requests and replies go through two buffers owned by the socket, so it serves one caller
/// at a time; callers serialize (control-plane code does).
/// </summary>
public sealed unsafe class NetlinkSocket : IDisposable
{
    private const int RequestBufferSize = 4096;
    // Kernel dump datagrams are at most 32 KiB; the rest is headroom.
    private const int ReceiveBufferSize = 64 * 1024;
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(10);

    private readonly SafeFileHandle _handle;
    private readonly byte[] _request = GC.AllocateArray<byte>(RequestBufferSize, pinned: true);
    private readonly byte[] _receive = GC.AllocateArray<byte>(ReceiveBufferSize, pinned: true);
    private uint _sequence;

    private NetlinkSocket(SafeFileHandle handle)
    {
        _handle = handle;
        _sequence = (uint)Environment.TickCount;
    }

    /// <summary>Opens a socket in the calling thread's network namespace.</summary>
    public static NetlinkSocket Open()
    {
        var fd = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Libc.NETLINK_ROUTE);
        if (fd < 0)
            throw NativeException.FromLastError("open", "rtnetlink socket");
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            // A kernel that never answers would otherwise hang the control plane forever.
            var timeout = new Libc.TimeVal { Seconds = (long)ReplyTimeout.TotalSeconds };
            if (Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, &timeout, (uint)sizeof(Libc.TimeVal)) < 0)
                throw NativeException.FromLastError("set receive timeout on", "rtnetlink socket");
            // Best effort: error acks then carry only the failed header, not the whole request.
            var one = 1;
            Libc.setsockopt(fd, Libc.SOL_NETLINK, Libc.NETLINK_CAP_ACK, &one, sizeof(int));
            return new NetlinkSocket(handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public void Dispose() => _handle.Dispose();

    /// <summary>Starts a request in this socket's request buffer; finish it with one of the calls below.</summary>
    internal NetlinkMessageWriter BeginRequest(ushort type, ushort flags = 0) =>
        new(_request, type, flags);

    /// <summary>Sends the request with NLM_F_ACK and waits for the kernel's verdict.</summary>
    internal void Execute(ref NetlinkMessageWriter request, string operation, string target)
    {
        var sequence = Send(ref request, NetlinkHeader.Request | NetlinkHeader.Ack, operation, target);
        while (true)
        {
            var reader = new NetlinkMessageReader(Receive(operation, target));
            while (reader.TryRead(out var message))
            {
                if (message.Sequence != sequence || message.Type != NetlinkHeader.Error)
                    continue;
                ThrowIfError(message, operation, target);
                return;
            }
        }
    }

    /// <summary>
    /// Sends a GET request for one object and returns the payload of the kernel's reply of
    /// <paramref name="replyType"/>; the span is valid until the next call on this socket.
    /// </summary>
    internal ReadOnlySpan<byte> Query(ref NetlinkMessageWriter request, ushort replyType, string operation, string target)
    {
        var sequence = Send(ref request, NetlinkHeader.Request, operation, target);
        while (true)
        {
            var datagram = Receive(operation, target);
            var reader = new NetlinkMessageReader(datagram);
            while (reader.TryRead(out var message))
            {
                if (message.Sequence != sequence)
                    continue;
                if (message.Type == NetlinkHeader.Error)
                    ThrowIfError(message, operation, target);
                else if (message.Type == replyType)
                    return message.Payload;
            }
        }
    }

    /// <summary>
    /// Sends a dump request and hands every reply message to <paramref name="visitor"/>.
    /// Returns false when the kernel flagged the dump as interrupted by a concurrent change;
    /// the caller decides whether to repeat it.
    /// </summary>
    internal bool Dump<TState>(
        ref NetlinkMessageWriter request, NetlinkMessageVisitor<TState> visitor, TState state,
        string operation, string target)
    {
        var sequence = Send(ref request, NetlinkHeader.Request | NetlinkHeader.Dump, operation, target);
        var consistent = true;
        while (true)
        {
            var reader = new NetlinkMessageReader(Receive(operation, target));
            while (reader.TryRead(out var message))
            {
                if (message.Sequence != sequence)
                    continue;
                if ((message.Flags & NetlinkHeader.DumpInterrupted) != 0)
                    consistent = false;
                switch (message.Type)
                {
                    case NetlinkHeader.Done:
                        ThrowIfError(message, operation, target);
                        return consistent;
                    case NetlinkHeader.Error:
                        ThrowIfError(message, operation, target);
                        break;
                    case NetlinkHeader.Noop:
                    case NetlinkHeader.Overrun:
                        break;
                    default:
                        visitor(message.Type, message.Payload, state);
                        break;
                }
            }
        }
    }

    private static void ThrowIfError(in NetlinkMessage message, string operation, string target)
    {
        var errno = message.ErrorCode;
        if (errno != 0)
            throw new NativeException(operation, target, errno);
    }

    private uint Send(ref NetlinkMessageWriter request, ushort flags, string operation, string target)
    {
        var sequence = ++_sequence;
        var message = request.Finish(sequence, flags);
        var added = false;
        _handle.DangerousAddRef(ref added);
        try
        {
            var fd = (int)_handle.DangerousGetHandle();
            fixed (byte* bytes = message)
            {
                nint sent;
                do sent = Libc.send(fd, bytes, (nuint)message.Length, 0);
                while (sent < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR);
                if (sent < 0)
                    throw NativeException.FromLastError(operation, target);
            }
        }
        finally
        {
            if (added) _handle.DangerousRelease();
        }
        return sequence;
    }

    /// <summary>Receives one datagram into the receive buffer; a datagram too big for it is an error.</summary>
    private ReadOnlySpan<byte> Receive(string operation, string target)
    {
        var added = false;
        _handle.DangerousAddRef(ref added);
        try
        {
            var fd = (int)_handle.DangerousGetHandle();
            nint received;
            fixed (byte* bytes = _receive)
            {
                do received = Libc.recv(fd, bytes, (nuint)_receive.Length, Libc.MSG_TRUNC);
                while (received < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR);
            }
            if (received < 0)
                throw NativeException.FromLastError(operation, target);
            if (received > _receive.Length)
                throw new NativeException(operation, target, Errno.EMSGSIZE);
            return _receive.AsSpan(0, (int)received);
        }
        finally
        {
            if (added) _handle.DangerousRelease();
        }
    }
}
