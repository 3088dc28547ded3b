using System.Buffers.Binary;

namespace Engine.Actors.Fpm;

/// <summary>
/// The 4-byte header zebra puts before each FPM message (fpm/fpm.h): version, message type, and a
/// big-endian length that counts the header itself. What follows is one or more netlink messages.
/// </summary>
public static class FpmFrameHeader
{
    public const int Size = 4;
    public const byte Version = 1;
    public const byte TypeNetlink = 1;

    public const int VersionOffset = 0;
    public const int TypeOffset = 1;
    public const int LengthOffset = 2;

    /// <summary>The largest frame the 16-bit length can describe.</summary>
    public const int MaxLength = ushort.MaxValue;

    /// <summary>Writes a netlink frame's header for a payload of <paramref name="payloadLength"/> bytes.</summary>
    public static void Write(Span<byte> header, int payloadLength)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payloadLength, MaxLength - Size);
        header[VersionOffset] = Version;
        header[TypeOffset] = TypeNetlink;
        BinaryPrimitives.WriteUInt16BigEndian(header[LengthOffset..], (ushort)(payloadLength + Size));
    }
}
