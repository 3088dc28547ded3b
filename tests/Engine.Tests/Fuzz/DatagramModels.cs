using System.Buffers.Binary;
using System.Text;

namespace Engine.Tests.Fuzz;

/// <summary>
/// What a connected UDP link must make of each datagram, from docs/protocol.md: the frame it
/// hands on, or whether it counts a drop. The engine model covers a link without a key, where a
/// refused HELLO or a GOODBYE starts the handshake over instead of closing anything.
/// </summary>
internal static class DatagramModels
{
    public readonly record struct Outcome(byte[]? Frame, int Tag, bool Dropped);

    private static readonly Outcome Nothing = new(null, -1, false);
    private static readonly Outcome Drop = new(null, -1, true);

    /// <summary>'datagram' framing: one packet per datagram; empty or over the MTU is dropped.</summary>
    public static Outcome Datagram(byte[] datagram, int mtu) =>
        datagram.Length == 0 || datagram.Length > mtu ? Drop : new(datagram, -1, false);

    /// <summary>
    /// Engine framing over UDP: one message per datagram, its length exactly the header's; over
    /// the MTU plus header, malformed, DATA before a HELLO, DATA with flags or without a body are
    /// dropped; a controller's INJECT is taken as DATA is. <paramref name="up"/>: the session is up (a valid HELLO came since the last reset).
    /// </summary>
    public static Outcome Engine(byte[] datagram, int mtu, bool takesTags, ref bool up)
    {
        if (datagram.Length > mtu + 8) return Drop;
        if (datagram.Length < 8 || BinaryPrimitives.ReadUInt32BigEndian(datagram.AsSpan(4)) != datagram.Length - 8) return Drop;
        var body = datagram[8..];
        var port = BinaryPrimitives.ReadUInt16BigEndian(datagram.AsSpan(2));
        switch (datagram[0])
        {
            case 1:
                up = !(body.Length < 19 || body.Length > 18 + 64 || body[0] != 1 || (body[1] & ~0x02) != 0
                    || !System.Text.Unicode.Utf8.IsValid(body.AsSpan(18))
                    || body.AsSpan(18).SequenceEqual(Encoding.UTF8.GetBytes(LinkRig.NodeName)));
                return Nothing;
            case 6:
                up = false;
                return Nothing;
            case 4:
            case 8 when takesTags: // a controller's INJECT is a frame too
                if (!up || datagram[1] != 0 || body.Length == 0) return Drop;
                return new(body, takesTags && port != 0xFFFF ? port : -1, false);
            default:
                return Nothing;
        }
    }
}
