using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Engine.Native.Interop;
using Microsoft.Win32.SafeHandles;

namespace Engine.Native.Sockets;

/// <summary>
/// A non-blocking socket on a raw fd, for the reactor: every call returns at once, and "would
/// block" is a result, not an exception. Errors that end the connection throw
/// <see cref="NativeException"/>. Like <see cref="Tun.TunDevice"/>, calls use the raw fd, so
/// Dispose must not race them: the engine uses and closes a socket on the one reactor thread.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class NativeSocket : IDisposable
{
    /// <summary>What <see cref="Receive"/> and <see cref="Send"/> return when the kernel has nothing or no room.</summary>
    public const int WouldBlock = -1;

    private readonly SafeFileHandle _handle;
    private readonly int _fd;
    private readonly int _family;

    private NativeSocket(int fd, int family, string description)
    {
        _handle = new SafeFileHandle(fd, ownsHandle: true);
        _fd = fd;
        _family = family;
        Description = description;
    }

    /// <summary>What the socket is for, in errors: "tcp to 127.0.0.1:7001".</summary>
    public string Description { get; }

    public SafeFileHandle Handle => _handle;

    /// <summary>A stream (TCP, Unix) or datagram (UDP) socket for <paramref name="endpoint"/>'s family.</summary>
    public static NativeSocket Open(EndPoint endpoint, bool stream, string description)
    {
        var family = SocketAddressBytes.FamilyOf(endpoint);
        var type = (stream ? Libc.SOCK_STREAM : Libc.SOCK_DGRAM) | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC;
        var fd = Libc.socket(family, type, 0);
        if (fd < 0) throw NativeException.FromLastError("open socket", description);
        return new NativeSocket(fd, family, description);
    }

    /// <summary>Two connected Unix stream sockets (socketpair): bytes written to one are read from the other.</summary>
    public static (NativeSocket First, NativeSocket Second) Pair(string description)
    {
        var fds = stackalloc int[2];
        if (Libc.socketpair(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0, fds) < 0)
            throw NativeException.FromLastError("open socket pair", description);
        return (new NativeSocket(fds[0], Libc.AF_UNIX, description), new NativeSocket(fds[1], Libc.AF_UNIX, description));
    }

    /// <summary>
    /// Binds to <paramref name="endpoint"/>. A TCP listener may rebind a port in TIME_WAIT; a
    /// Unix socket file left behind by a killed engine (nobody accepts on it) is replaced.
    /// </summary>
    public void Bind(EndPoint endpoint)
    {
        if (endpoint is IPEndPoint) SetOption(Libc.SOL_SOCKET, Libc.SO_REUSEADDR, 1);
        var errno = TryBind(endpoint);
        if (errno == Errno.EADDRINUSE && endpoint is UnixDomainSocketEndPoint && IsStaleUnixSocket(endpoint))
        {
            File.Delete(endpoint.ToString()!);
            errno = TryBind(endpoint);
        }
        if (errno != 0) throw new NativeException("bind", $"{Description} to {endpoint}", errno);
    }

    private int TryBind(EndPoint endpoint)
    {
        var address = SocketAddressBytes.Encode(endpoint);
        fixed (byte* bytes = address.Buffer.Span)
            return Libc.bind(_fd, bytes, (uint)address.Size) < 0 ? Marshal.GetLastPInvokeError() : 0;
    }

    private static bool IsStaleUnixSocket(EndPoint endpoint)
    {
        var path = endpoint.ToString();
        if (string.IsNullOrEmpty(path) || path[0] != '/') return false; // abstract names vanish with their owner
        using var probe = Open(endpoint, stream: true, "probe of " + path);
        try
        {
            probe.Connect(endpoint);
            return false;
        }
        catch (NativeException e) when (e.Errno == Errno.ECONNREFUSED)
        {
            return true;
        }
    }

    public void Listen(int backlog)
    {
        if (Libc.listen(_fd, backlog) < 0) throw NativeException.FromLastError("listen", Description);
    }

    /// <summary>
    /// Takes one waiting connection, or null when none is waiting. <paramref name="source"/> is
    /// the raw sockaddr of the connecting side (empty for Unix sockets).
    /// </summary>
    public NativeSocket? TryAccept(Span<byte> source, out int sourceLength, string description)
    {
        fixed (byte* address = source)
        {
            var length = (uint)source.Length;
            var fd = Libc.accept4(_fd, address, &length, Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC);
            if (fd < 0)
            {
                sourceLength = 0;
                var errno = Marshal.GetLastPInvokeError();
                // The connection went away before it was taken, or nothing waits: both mean "none now".
                if (errno is Errno.EAGAIN or Errno.ECONNRESET or Errno.EINTR) return null;
                throw new NativeException("accept on", Description, errno);
            }
            sourceLength = (int)Math.Min(length, (uint)source.Length);
            return new NativeSocket(fd, _family, description);
        }
    }

    /// <summary>Starts connecting: true when connected at once, false while in progress (wait for writable, then <see cref="TakeError"/>).</summary>
    public bool Connect(EndPoint endpoint)
    {
        var address = SocketAddressBytes.Encode(endpoint);
        fixed (byte* bytes = address.Buffer.Span)
        {
            if (Libc.connect(_fd, bytes, (uint)address.Size) == 0) return true;
            var errno = Marshal.GetLastPInvokeError();
            if (errno == Errno.EINPROGRESS || errno == Errno.EAGAIN) return false;
            throw new NativeException("connect", Description, errno);
        }
    }

    /// <summary>The pending error (SO_ERROR), 0 when none: how a non-blocking connect reports its outcome.</summary>
    public int TakeError()
    {
        int value = 0;
        uint length = sizeof(int);
        if (Libc.getsockopt(_fd, Libc.SOL_SOCKET, Libc.SO_ERROR, &value, &length) < 0)
            return Marshal.GetLastPInvokeError();
        return value;
    }

    /// <summary>
    /// The largest UDP payload that leaves this connected socket in one IP packet, from the path
    /// MTU the kernel knows for its destination (IP_MTU, IPV6_MTU), with that MTU; null when the
    /// socket is not connected or not IP.
    /// </summary>
    public (int Mtu, int LargestPayload)? UdpPath()
    {
        var (level, name, headers) = _family switch
        {
            Libc.AF_INET => (Libc.IPPROTO_IP, Libc.IP_MTU, 20 + 8),
            Libc.AF_INET6 => (Libc.IPPROTO_IPV6, Libc.IPV6_MTU, 40 + 8),
            _ => (0, 0, 0),
        };
        if (headers == 0) return null;
        int mtu = 0;
        uint length = sizeof(int);
        if (Libc.getsockopt(_fd, level, name, &mtu, &length) < 0 || mtu <= headers) return null;
        return (mtu, mtu - headers);
    }

    /// <summary>Sends small writes at once: the engine batches itself, and Nagle would hold a lone ping.</summary>
    public void SetNoDelay() => SetOption(Libc.IPPROTO_TCP, Libc.TCP_NODELAY, 1);

    /// <summary>
    /// Asks the kernel to merge runs of same-size datagrams from one source (UDP_GRO); received
    /// messages then say their segment size (<see cref="DatagramVectors.SegmentSize"/>). False
    /// when the kernel does not have it.
    /// </summary>
    public bool TryEnableUdpGro()
    {
        var on = 1;
        if (Libc.setsockopt(_fd, Libc.SOL_UDP, Libc.UDP_GRO, &on, sizeof(int)) == 0) return true;
        var errno = Marshal.GetLastPInvokeError();
        if (errno is Errno.ENOPROTOOPT or Errno.EINVAL) return false;
        throw new NativeException("enable UDP GRO on", Description, errno);
    }

    public void SetBufferSizes(int bytes)
    {
        SetOption(Libc.SOL_SOCKET, Libc.SO_SNDBUF, bytes);
        SetOption(Libc.SOL_SOCKET, Libc.SO_RCVBUF, bytes);
    }

    /// <summary>Bytes received (0: the other side closed), or <see cref="WouldBlock"/>.</summary>
    public int Receive(Span<byte> buffer)
    {
        fixed (byte* bytes = buffer)
        {
            var n = Libc.recv(_fd, bytes, (nuint)buffer.Length, Libc.MSG_DONTWAIT);
            if (n >= 0) return (int)n;
            ThrowUnlessTransient("receive from", isSend: false);
            return WouldBlock;
        }
    }

    /// <summary>Bytes of <paramref name="buffer"/> sent (possibly fewer on a stream), or <see cref="WouldBlock"/>. Never raises SIGPIPE.</summary>
    public int Send(ReadOnlySpan<byte> buffer)
    {
        fixed (byte* bytes = buffer)
        {
            var n = Libc.send(_fd, bytes, (nuint)buffer.Length, Libc.MSG_DONTWAIT | Libc.MSG_NOSIGNAL);
            if (n >= 0) return (int)n;
            ThrowUnlessTransient("send to", isSend: true);
            return WouldBlock;
        }
    }

    /// <summary>
    /// Blocks the calling thread until the socket is readable (or writable), closed or failed:
    /// false when <paramref name="timeoutMs"/> (-1: none) passed first. Only for a thread of its
    /// own, never the reactor's; <see cref="Shutdown"/> from another thread wakes it.
    /// </summary>
    public bool Wait(bool writable, int timeoutMs)
    {
        var poll = new Libc.PollFd { Fd = _fd, Events = writable ? Libc.POLLOUT : Libc.POLLIN };
        while (true)
        {
            var n = Libc.poll(&poll, 1, timeoutMs);
            if (n > 0) return true;
            if (n == 0) return false;
            var errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.EINTR) throw new NativeException("wait on", Description, errno);
        }
    }

    /// <summary>
    /// Ends both directions (shutdown): the other side reads the end, and a thread blocked in
    /// <see cref="Wait"/> on this socket wakes. The fd stays open until <see cref="Dispose"/>.
    /// </summary>
    public void Shutdown()
    {
        // Another thread may be disposing: a closed handle's fd number may already be someone else's.
        var added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            Libc.shutdown(_fd, Libc.SHUT_RDWR);
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            if (added) _handle.DangerousRelease();
        }
    }

    /// <summary>
    /// Sends the <paramref name="count"/> vectors in one call: bytes taken (possibly fewer than
    /// offered on a stream), or <see cref="WouldBlock"/>. Never raises SIGPIPE.
    /// </summary>
    public long Send(IoVectors vectors, int first, int count)
    {
        var message = new Libc.MsgHdr { Iov = vectors.At(first), IovLength = (nuint)count };
        var n = Libc.sendmsg(_fd, &message, Libc.MSG_DONTWAIT | Libc.MSG_NOSIGNAL);
        if (n >= 0) return n;
        ThrowUnlessTransient("send to", isSend: true);
        return WouldBlock;
    }

    /// <summary>Sends <paramref name="count"/> prepared datagrams from <paramref name="first"/> in one call; returns how many went, or <see cref="WouldBlock"/>.</summary>
    public int SendBatch(DatagramVectors datagrams, int first, int count)
    {
        var n = Libc.sendmmsg(_fd, datagrams.Messages + first, (uint)count, Libc.MSG_DONTWAIT | Libc.MSG_NOSIGNAL);
        if (n >= 0) return n;
        ThrowUnlessTransient("send to", isSend: true);
        return WouldBlock;
    }

    /// <summary>
    /// Receives up to <paramref name="count"/> datagrams into the prepared buffers in one call; 0
    /// when none waits, or when the call only reported the network's answer to an earlier send.
    /// </summary>
    public int ReceiveBatch(DatagramVectors datagrams, int count) => ReceiveBatch(datagrams, count, 0);

    /// <summary>
    /// Takes up to <paramref name="count"/> datagrams off the socket to count them, not to keep
    /// them: each message's received length is the whole message's (MSG_TRUNC), whatever its buffer held.
    /// </summary>
    public int DiscardBatch(DatagramVectors datagrams, int count) => ReceiveBatch(datagrams, count, Libc.MSG_TRUNC);

    private int ReceiveBatch(DatagramVectors datagrams, int count, int flags)
    {
        var n = Libc.recvmmsg(_fd, datagrams.Messages, (uint)count, Libc.MSG_DONTWAIT | flags, null);
        if (n >= 0) return n;
        // Any error but these is one the kernel kept for an earlier datagram, from an ICMP message
        // (port or protocol unreachable, host prohibited, ...) that anyone can send: reported once,
        // it costs this receive and says nothing about the socket.
        var errno = Marshal.GetLastPInvokeError();
        if (errno is Errno.EBADF or Errno.ENOTSOCK or Errno.EFAULT or Errno.EINVAL)
            throw new NativeException("receive from", Description, errno);
        return 0;
    }

    /// <summary>
    /// After a failed non-blocking call: returns when it is worth trying again later (nothing
    /// waiting or no room: EAGAIN, EINTR, and for a send ENOBUFS); throws the error otherwise.
    /// </summary>
    private void ThrowUnlessTransient(string operation, bool isSend)
    {
        var errno = Marshal.GetLastPInvokeError();
        if (errno is Errno.EAGAIN or Errno.EINTR || (isSend && errno == Errno.ENOBUFS)) return;
        throw new NativeException(operation, Description, errno);
    }

    private void SetOption(int level, int name, int value)
    {
        if (Libc.setsockopt(_fd, level, name, &value, sizeof(int)) < 0)
            throw NativeException.FromLastError("set socket option on", Description);
    }

    public void Dispose() => _handle.Dispose();

    public override string ToString() => Description;
}
