using System.Buffers.Binary;
using Engine.Actors.Wire;

namespace Engine.Actors.Offload;

/// <summary>
/// Finishes the checksum of a NEEDS_CSUM packet that is not a super-frame: the field at
/// csum_start + csum_offset holds the pseudo-header sum, and the sum over csum_start..end
/// (that field included) is still to be folded in, as the kernel's skb_checksum_help does.
/// </summary>
public static class ChecksumCompletion
{
    /// <summary>
    /// Completes the checksum in place. False, changing nothing, when the field does not lie
    /// inside <paramref name="packet"/>.
    /// </summary>
    public static bool TryComplete(Span<byte> packet, int checksumStart, int checksumOffset)
    {
        if (checksumStart < 0 || checksumOffset < 0 || checksumStart + checksumOffset + 2 > packet.Length)
            return false;
        ushort checksum = InternetChecksum.Finish(InternetChecksum.Sum(packet[checksumStart..]));
        BinaryPrimitives.WriteUInt16BigEndian(packet[(checksumStart + checksumOffset)..], TransportChecksum.NonZero(checksum));
        return true;
    }

    /// <summary>Completes the checksum a validated layout asks for; true when there was nothing to do.</summary>
    public static bool TryComplete(Span<byte> packet, in VirtioFrameLayout layout) =>
        !layout.NeedsChecksum || TryComplete(packet[..layout.PacketLength], layout.ChecksumStart, layout.ChecksumOffset);
}
