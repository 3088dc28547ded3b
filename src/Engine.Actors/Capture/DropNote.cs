using Engine.Actors.Counters;

namespace Engine.Actors.Capture;

/// <summary>A dropped frame's note in the capture ring: its reason, plus one, and whether it carries an Ethernet header.</summary>
public static class DropNote
{
    private const ushort Ethernet = 0x100;

    public static ushort Of(DropReason reason, bool ethernet) => (ushort)((int)reason + 1 | (ethernet ? Ethernet : 0));

    public static bool IsEthernet(ushort note) => (note & Ethernet) != 0;

    /// <summary>The reason, or null for a note that is none.</summary>
    public static DropReason? ReasonOf(ushort note) => (note & 0xFF) is var value and > 0 ? (DropReason)(value - 1) : null;
}
