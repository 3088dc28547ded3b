using System.Buffers.Binary;

namespace Engine.Actors.Peers.Framing;

/// <summary>
/// simpletun's framing: a 2-byte big-endian length, then that many bytes of packet, back to back
/// on a stream. A zero length, or one larger than any frame the engine can hold, means the
/// stream is not speaking this framing (or has lost sync) and the link is closed.
/// </summary>
internal static class Length16Header
{
    public const int Size = 2;

    /// <summary>Reads the header at the start of <paramref name="input"/>; false when it is not all there yet.</summary>
    public static bool TryRead(ReadOnlySpan<byte> input, out int packetLength)
    {
        if (input.Length < Size)
        {
            packetLength = 0;
            return false;
        }
        packetLength = BinaryPrimitives.ReadUInt16BigEndian(input);
        return true;
    }

    public static void Write(Span<byte> destination, int packetLength) =>
        BinaryPrimitives.WriteUInt16BigEndian(destination, checked((ushort)packetLength));
}
