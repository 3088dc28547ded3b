using System.Buffers.Binary;
using System.Text;
using Engine.Actors.Wire;

namespace Engine.Tests.Fuzz;

/// <summary>
/// What a stream link must make of a byte stream, read from docs/protocol.md and the framing's
/// rules rather than from the link's code: the frames it hands on, how many it drops (each
/// counted once), whether it closes, and where the last whole message ended (what follows is
/// kept for the next read). The engine model covers a link without a key.
/// </summary>
internal static class StreamModels
{
    public sealed record Expected(List<(byte[] Frame, int Tag, VirtioFrameLayout Offload)> Frames, int Drops, bool Closed, int Consumed = 0);

    /// <summary>length16: a 2-byte length, then the packet; a zero length or one over the MTU closes the link (counted).</summary>
    public static Expected Length16(byte[] stream, int mtu)
    {
        var frames = new List<(byte[], int, VirtioFrameLayout)>();
        var at = 0;
        while (stream.Length - at >= 2)
        {
            var length = BinaryPrimitives.ReadUInt16BigEndian(stream.AsSpan(at));
            if (length == 0 || length > mtu) return new(frames, 1, true, at);
            if (stream.Length - at - 2 < length) break;
            frames.Add((stream[(at + 2)..(at + 2 + length)], -1, default));
            at += 2 + length;
        }
        return new(frames, 0, false, at);
    }

    /// <summary>
    /// The engine framing on a link without a key: 8-byte headers (type, flags, port, body
    /// length); a body over 65600 bytes closes (counted); HELLO brings the session up unless it is
    /// malformed, of another version, with reserved flag bits, a name that is not UTF-8 or our
    /// own, or asks for a key, which closes; GOODBYE
    /// closes; DATA before HELLO closes (counted); DATA is one frame, or with flags 1 a virtio-net
    /// header and a packet, taken only by an engine link that offers offloads and only when the
    /// header holds up; any other flags, an empty body or a body over the MTU is dropped, counted.
    /// A controller's frames keep their port as a tag (0xFFFF: none), and a controller's INJECT is
    /// a frame like DATA, judged against the port it names later, so only its buffer bounds it;
    /// any other link skips an INJECT as a type it does not know. <paramref name="up"/>: a
    /// HELLO came earlier on the link.
    /// </summary>
    public static Expected Engine(byte[] stream, int mtu, bool offersOffloads, bool takesTags, int maxFrameLength, ref bool up)
    {
        var frames = new List<(byte[], int, VirtioFrameLayout)>();
        var drops = 0;
        var at = 0;
        while (stream.Length - at >= 8)
        {
            var type = stream[at];
            var flags = stream[at + 1];
            var port = BinaryPrimitives.ReadUInt16BigEndian(stream.AsSpan(at + 2));
            var length = BinaryPrimitives.ReadUInt32BigEndian(stream.AsSpan(at + 4));
            if (length > 65600) return new(frames, drops + 1, true, at);
            if (stream.Length - at - 8 < length) break;
            var body = stream[(at + 8)..(at + 8 + (int)length)];
            at += 8 + (int)length;
            var tag = takesTags && port != 0xFFFF ? port : -1;
            switch (type)
            {
                case 1:
                    if (body.Length < 19 || body.Length > 18 + 64 || body[0] != 1 || (body[1] & ~0x02) != 0
                        || !System.Text.Unicode.Utf8.IsValid(body.AsSpan(18))
                    || body.AsSpan(18).SequenceEqual(Encoding.UTF8.GetBytes(LinkRig.NodeName)))
                        return new(frames, drops, true, at);
                    up = true;
                    break;
                case 6:
                    return new(frames, drops, true, at);
                case 4 or 8 when !up && (type == 4 || takesTags):
                    return new(frames, drops + 1, true, at);
                case 8 when takesTags:
                    if (flags != 0 || body.Length == 0 || body.Length > maxFrameLength) drops++;
                    else frames.Add((body, tag, default));
                    break;
                case 4 when !up:
                    return new(frames, drops + 1, true, at);
                case 4 when flags == 1:
                    if (offersOffloads && body.Length >= VirtioNetHeader.Length && VirtioNetHeader.TryParse(body, out var header)
                        && header.Validate(body.AsSpan(VirtioNetHeader.Length).ToArray(), out var layout) == VirtioHeaderCheck.Valid
                        && body.Length - VirtioNetHeader.Length <= maxFrameLength)
                        frames.Add((body[VirtioNetHeader.Length..], tag, layout));
                    else
                        drops++;
                    break;
                case 4:
                    if (flags != 0 || body.Length == 0 || body.Length > mtu) drops++;
                    else frames.Add((body, tag, default));
                    break;
            }
        }
        return new(frames, drops, false, at);
    }
}
