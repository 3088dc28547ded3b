using System.Runtime.Versioning;

namespace Engine.Native.Sockets;

/// <summary>
/// A blocking <see cref="Stream"/> over a connected non-blocking <see cref="NativeSocket"/>, for
/// a library that wants a stream (SslStream) on a thread of its own: a read or write that would
/// block waits in poll. One reader and one writer may use it at once, each on its own thread.
/// A read waits at most <see cref="ReadTimeout"/> (infinite unless set), then throws
/// <see cref="TimeoutException"/>. The socket is not the stream's: disposing it leaves the socket open.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class NativeSocketStream(NativeSocket socket) : Stream
{
    private int _readTimeout = Timeout.Infinite;

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override bool CanTimeout => true;

    public override int ReadTimeout
    {
        get => _readTimeout;
        set => _readTimeout = value;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <summary>Bytes read, at least one, or 0 when the other side closed.</summary>
    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty) return 0;
        try
        {
            while (true)
            {
                var n = socket.Receive(buffer);
                if (n != NativeSocket.WouldBlock) return n;
                if (!socket.Wait(writable: false, _readTimeout))
                    throw new TimeoutException($"{socket.Description}: nothing arrived within {_readTimeout} ms");
            }
        }
        catch (NativeException e)
        {
            throw new IOException(e.Message, e);
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        try
        {
            while (!buffer.IsEmpty)
            {
                var n = socket.Send(buffer);
                if (n == NativeSocket.WouldBlock) socket.Wait(writable: true, Timeout.Infinite);
                else buffer = buffer[n..];
            }
        }
        catch (NativeException e)
        {
            // A socket's error, as the IOException a stream's caller expects.
            throw new IOException(e.Message, e);
        }
    }

    // Async callers (SslStream's own async paths) block too: this stream is only for a thread of its own.
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer, offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer, offset, count);
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
