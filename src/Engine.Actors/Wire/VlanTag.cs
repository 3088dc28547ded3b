using System.Buffers.Binary;

namespace Engine.Actors.Wire;

/// <summary>
/// An 802.1Q tag between an Ethernet header's source address and its type: the TPID 0x8100,
/// then priority (3 bits), drop eligibility (1 bit) and the VLAN id (12 bits). VID 0 is a
/// priority tag: the frame belongs to no VLAN of its own.
/// </summary>
public static class VlanTag
{
    public const int Length = 4;

    /// <summary>Where the tag starts: in place of the untagged frame's type.</summary>
    public const int Offset = EthernetFrame.Field.EtherType;

    /// <summary>An Ethernet header with one tag: 18 bytes.</summary>
    public const int TaggedHeaderLength = EthernetFrame.HeaderLength + Length;

    private const ushort VidMask = 0x0FFF;

    /// <summary>True when <paramref name="frame"/> carries a C-tag (0x8100) after its addresses.</summary>
    public static bool IsTagged(ReadOnlySpan<byte> frame) =>
        frame.Length >= EthernetFrame.HeaderLength && BinaryPrimitives.ReadUInt16BigEndian(frame[Offset..]) == EtherType.Vlan;

    /// <summary>The VLAN id of a frame <see cref="IsTagged"/> holds whole (<see cref="TaggedHeaderLength"/> bytes at least).</summary>
    public static int Vid(ReadOnlySpan<byte> frame) => BinaryPrimitives.ReadUInt16BigEndian(frame[(Offset + 2)..]) & VidMask;

    /// <summary>Sets a tagged frame's VLAN id, keeping its priority and drop eligibility.</summary>
    public static void SetVid(Span<byte> frame, int vid)
    {
        var tci = BinaryPrimitives.ReadUInt16BigEndian(frame[(Offset + 2)..]);
        BinaryPrimitives.WriteUInt16BigEndian(frame[(Offset + 2)..], (ushort)((tci & ~VidMask) | vid));
    }

    /// <summary>Writes a tag of <paramref name="vid"/> (priority 0) at <see cref="Offset"/>; the type follows it.</summary>
    public static void Write(Span<byte> frame, int vid)
    {
        BinaryPrimitives.WriteUInt16BigEndian(frame[Offset..], EtherType.Vlan);
        BinaryPrimitives.WriteUInt16BigEndian(frame[(Offset + 2)..], (ushort)vid);
    }
}
