using System.Buffers.Binary;

namespace Engine.Actors.OpenFlow;

/// <summary>
/// The 8-byte header every OpenFlow message starts with (ofp_header): version, type, length of
/// the whole message, transaction id. A view over bytes that holds at least <see cref="Size"/>.
/// </summary>
public readonly ref struct OfpHeader
{
    public const int Size = 8;
    public const byte Version13 = 0x04;

    private readonly ReadOnlySpan<byte> _bytes;

    private OfpHeader(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    /// <summary>The header at the start of <paramref name="bytes"/>, when there are at least <see cref="Size"/> of them.</summary>
    public static bool TryRead(ReadOnlySpan<byte> bytes, out OfpHeader header)
    {
        header = bytes.Length >= Size ? new OfpHeader(bytes) : default;
        return bytes.Length >= Size;
    }

    public byte Version => _bytes[0];
    public byte Type => _bytes[1];
    public int Length => BinaryPrimitives.ReadUInt16BigEndian(_bytes[2..]);
    public uint Xid => BinaryPrimitives.ReadUInt32BigEndian(_bytes[4..]);
}
