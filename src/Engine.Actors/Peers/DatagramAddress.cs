using Engine.Native.Sockets;

namespace Engine.Actors.Peers;

/// <summary>
/// A source address a listen-only datagram link knows, kept as the raw sockaddr the kernel
/// gave so that each datagram's source is compared without allocating, with when a datagram
/// from it last came.
/// </summary>
internal sealed class DatagramAddress
{
    private readonly byte[] _bytes = new byte[128];

    public int Length { get; private set; }

    public bool IsKnown => Length > 0;

    public ReadOnlySpan<byte> Bytes => _bytes.AsSpan(0, Length);

    /// <summary>When a datagram from it last came (<see cref="Environment.TickCount64"/>).</summary>
    public long LastHeard { get; private set; }

    public static bool Fits(ReadOnlySpan<byte> source) => source.Length is > 0 and <= 128;

    public bool Is(ReadOnlySpan<byte> source) => Length > 0 && source.SequenceEqual(Bytes);

    public void Set(ReadOnlySpan<byte> source, long now)
    {
        source.CopyTo(_bytes);
        Length = source.Length;
        LastHeard = now;
    }

    public void Heard(long now) => LastHeard = now;

    /// <summary>Nothing came from it for <paramref name="timeout"/>: it no longer holds its place.</summary>
    public bool IsSilent(long now, TimeSpan timeout) => now - LastHeard >= (long)timeout.TotalMilliseconds;

    /// <summary>For logs; allocates.</summary>
    public override string ToString() => IsKnown ? Describe(Bytes) : "(none)";

    public static string Describe(ReadOnlySpan<byte> source) => SocketAddressBytes.DecodeIp(source)?.ToString() ?? "?";
}
