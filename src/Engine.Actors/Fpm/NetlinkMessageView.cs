using System.Buffers.Binary;

namespace Engine.Actors.Fpm;

/// <summary>
/// A view of one netlink message (struct nlmsghdr, then the payload) at the start of a frame's
/// remaining bytes. Obtain one only through <see cref="TryParse"/>, which checks the length field
/// once: at least the header and no longer than the bytes it was given.
/// </summary>
public readonly ref struct NetlinkMessageView
{
    public const int HeaderSize = 16;
    private const int LengthOffset = 0;
    private const int TypeOffset = 4;
    private const int FlagsOffset = 6;

    private readonly ReadOnlySpan<byte> _bytes;

    private NetlinkMessageView(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    /// <summary>False when the bytes are too short for a header or the length field lies about them.</summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out NetlinkMessageView message)
    {
        message = default;
        if (bytes.Length < HeaderSize)
            return false;
        var length = BinaryPrimitives.ReadUInt32LittleEndian(bytes[LengthOffset..]);
        if (length < HeaderSize || length > (uint)bytes.Length)
            return false;
        message = new NetlinkMessageView(bytes[..(int)length]);
        return true;
    }

    public ushort Type => BinaryPrimitives.ReadUInt16LittleEndian(_bytes[TypeOffset..]);

    public ushort Flags => BinaryPrimitives.ReadUInt16LittleEndian(_bytes[FlagsOffset..]);

    /// <summary>The message's length field, header included (the view is exactly this long).</summary>
    public int Length => _bytes.Length;

    /// <summary>Where the next message starts: messages are padded to 4 bytes.</summary>
    public int AlignedLength => NetlinkAlignment.Align(_bytes.Length);

    public ReadOnlySpan<byte> Payload => _bytes[HeaderSize..];
}
