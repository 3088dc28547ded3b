using System.Buffers.Binary;
using CsCheck;
using Engine.Actors.Wire;

namespace Engine.Tests.Fuzz;

/// <summary>
/// Generators of hostile input: random bytes, and valid frames with a few bytes changed, cut
/// short or followed by trailing bytes; virtio-net headers that are random, plausible (the field
/// values a lying or buggy sender would use: NEEDS_CSUM at odd offsets, tiny or odd gso sizes)
/// or valid with one field changed. CsCheck shrinks a failure towards fewer changes, shorter
/// frames and smaller field values.
/// </summary>
internal static class FuzzGen
{
    /// <summary>
    /// A copy of one of <paramref name="templates"/> with up to four bytes changed (within the
    /// first 96, where the headers are), cut short or extended; half the time an IPv4 header at
    /// <paramref name="ipOffset"/> gets its checksum made right again so the change gets past it.
    /// </summary>
    public static Gen<byte[]> Mutated(byte[][] templates, int ipOffset) =>
        Gen.Select(
            Gen.Int[0, templates.Length - 1],
            Gen.Select(Gen.Int[0, 95], Gen.Byte).Array[0, 4],
            Gen.Frequency((6, Gen.Const(0)), (1, Gen.Int[1, 64])),
            Gen.Frequency((4, Gen.Const(Array.Empty<byte>())), (1, Gen.Byte.Array[1, 24])),
            Gen.Bool,
            (index, changes, cut, trailing, fixChecksum) =>
            {
                var template = templates[index];
                var frame = new byte[Math.Max(0, template.Length - cut) + trailing.Length];
                template.AsSpan(0, template.Length - Math.Min(cut, template.Length)).CopyTo(frame);
                trailing.CopyTo(frame, frame.Length - trailing.Length);
                foreach (var (offset, value) in changes)
                    if (offset < frame.Length) frame[offset] = value;
                if (fixChecksum) FillIpv4HeaderChecksum(frame, ipOffset);
                return frame;
            });

    /// <summary>Random bytes, half the time starting like an IP packet.</summary>
    public static Gen<byte[]> Random(int maxLength) =>
        Gen.Select(Gen.Byte.Array[0, maxLength], Gen.OneOf<byte>(0, 0x45, 0x46, 0x60, 0x4F), (frame, first) =>
        {
            if (first != 0 && frame.Length > 0) frame[0] = first;
            return frame;
        });

    public static Gen<byte[]> Frames(byte[][] templates, int ipOffset, int maxRandom) =>
        Gen.Frequency((1, Random(maxRandom)), (4, Mutated(templates, ipOffset)));

    /// <summary>A virtio-net header: random, plausible, or <paramref name="valid"/> itself or with one field changed.</summary>
    public static Gen<byte[]> Header(byte[] valid) =>
        Gen.Frequency(
            (1, Gen.Byte.Array[VirtioNetHeader.Length]),
            (3, PlausibleHeader),
            (3, Gen.Const(valid)),
            (3, Gen.Select(Gen.Int[0, 5], FieldValue, (field, value) => WithField(valid, field, value))));

    private static readonly Gen<ushort> FieldValue = Gen.Frequency(
        (3, Gen.Int[0, 64].Select(i => (ushort)i)),
        (1, Gen.Int[1, 3000].Select(i => (ushort)i)),
        (1, Gen.UShort));

    private static readonly Gen<byte[]> PlausibleHeader = Gen.Select(
        Gen.Frequency((4, Gen.OneOf<byte>(0, 1, 2, 3)), (1, Gen.Byte)),
        Gen.Frequency((4, Gen.OneOf<byte>(0, 1, 3, 4, 5, 0x81, 0x84)), (1, Gen.Byte)),
        Gen.Frequency((3, Gen.Int[1, 16].Select(i => (ushort)i)), (2, Gen.Int[100, 1500].Select(i => (ushort)i)), (1, Gen.UShort)),
        Gen.Frequency((3, Gen.OneOf<ushort>(20, 24, 40, 60)), (3, Gen.Int[0, 100].Select(i => (ushort)i)), (1, Gen.UShort)),
        Gen.Frequency((3, Gen.OneOf<ushort>(6, 16)), (3, Gen.Int[0, 40].Select(i => (ushort)i)), (1, Gen.UShort)),
        Gen.UShort,
        (flags, type, gsoSize, start, offset, headerLength) =>
        {
            var header = new byte[VirtioNetHeader.Length];
            VirtioNetHeader.Write(header, (VirtioNetFlags)flags, (VirtioGsoType)type, headerLength, gsoSize, start, offset);
            return header;
        });

    /// <summary><paramref name="header"/> with field <paramref name="field"/> (flags, gso type, hdr_len, gso size, csum start, csum offset) set to <paramref name="value"/>.</summary>
    private static byte[] WithField(byte[] header, int field, ushort value)
    {
        var copy = header.ToArray();
        if (field < 2) copy[field] = (byte)value;
        else BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(2 * (field - 1)), value);
        return copy;
    }

    /// <summary>Recomputes the header checksum of an IPv4 header at <paramref name="offset"/>, if one is there.</summary>
    public static void FillIpv4HeaderChecksum(Span<byte> frame, int offset)
    {
        if (frame.Length < offset + 20 || frame[offset] >> 4 != 4) return;
        var headerLength = (frame[offset] & 0x0F) * 4;
        if (headerLength < 20 || frame.Length < offset + headerLength) return;
        var header = frame.Slice(offset, headerLength);
        header[10] = header[11] = 0;
        uint sum = 0;
        for (var i = 0; i < headerLength; i += 2) sum += (uint)(header[i] << 8 | header[i + 1]);
        while (sum > 0xFFFF) sum = (sum & 0xFFFF) + (sum >> 16);
        BinaryPrimitives.WriteUInt16BigEndian(header[10..], (ushort)~sum);
    }
}
