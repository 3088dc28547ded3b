using System.Buffers.Binary;

namespace Engine.Actors.Fpm;

/// <summary>
/// The shape rtattrs and rtnexthop entries share: a u16 length at the start that counts the
/// record's own header, the record padded to 4 bytes before the next one.
/// </summary>
internal static class NetlinkRecords
{
    /// <summary>
    /// The length of the record at the start of <paramref name="remaining"/>. A record shorter than
    /// <paramref name="headerSize"/> or longer than the bytes left is malformed.
    /// </summary>
    public static NetlinkAttributeStatus Measure(ReadOnlySpan<byte> remaining, int headerSize, out int length)
    {
        length = 0;
        if (remaining.IsEmpty)
            return NetlinkAttributeStatus.End;
        var claimed = remaining.Length >= headerSize ? BinaryPrimitives.ReadUInt16LittleEndian(remaining) : 0;
        if (claimed < headerSize || claimed > remaining.Length)
            return NetlinkAttributeStatus.Malformed;
        length = claimed;
        return NetlinkAttributeStatus.Attribute;
    }

    /// <summary>What follows a record of <paramref name="length"/> bytes and its padding.</summary>
    public static ReadOnlySpan<byte> After(ReadOnlySpan<byte> remaining, int length)
    {
        var next = NetlinkAlignment.Align(length);
        return next >= remaining.Length ? default : remaining[next..];
    }
}
