using System.Buffers.Binary;

namespace Engine.Actors.OpenFlow;

/// <summary>
/// HELLO and version negotiation (spec section 6.3.1): each side sends the highest version it
/// speaks and a bitmap of all of them; the connection uses the highest version both have. The
/// engine speaks 1.3 alone, so negotiation either lands on 1.3 or fails.
/// </summary>
public static class OfpHello
{
    private const ushort VersionBitmapElement = 1;

    public static void Write(OfpWriter writer, uint xid)
    {
        writer.Begin(OfpType.Hello, xid);
        writer.U16(VersionBitmapElement).U16(8).U32(1u << OfpHeader.Version13);
        writer.End();
    }

    /// <summary>Whether a HELLO (header included) lets the two sides speak 1.3.</summary>
    public static bool Accepts13(ReadOnlySpan<byte> hello)
    {
        OfpHeader.TryRead(hello, out var header);
        if (VersionBitmap(hello[OfpHeader.Size..]) is { } bitmap)
            return (bitmap & (1u << OfpHeader.Version13)) != 0;
        // Without a bitmap, the version in the header is the highest the peer speaks, and it speaks all below it.
        return header.Version >= OfpHeader.Version13;
    }

    /// <summary>The first word of a version-bitmap element (versions 0 to 31), or null when the HELLO has none.</summary>
    private static uint? VersionBitmap(ReadOnlySpan<byte> elements)
    {
        while (elements.Length >= 4)
        {
            var type = BinaryPrimitives.ReadUInt16BigEndian(elements);
            var length = BinaryPrimitives.ReadUInt16BigEndian(elements[2..]);
            if (length < 4 || length > elements.Length) return null;
            if (type == VersionBitmapElement && length >= 8) return BinaryPrimitives.ReadUInt32BigEndian(elements[4..]);
            var padded = (length + 7) & ~7;
            elements = padded >= elements.Length ? default : elements[padded..];
        }
        return null;
    }
}
