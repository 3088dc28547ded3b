using System.Buffers.Binary;
using Engine.Actors.Buffers;
using Engine.Actors.Topology;
using Engine.Actors.Wire;

namespace Engine.Actors.Peers.Framing;

/// <summary>
/// The header each outgoing frame gets on a link, pushed into the headroom in front of it so
/// header and frame go out as one piece: nothing for <c>datagram</c>, a 2-byte length for
/// <c>length16</c>, and for <c>engine</c> a DATA (with the offload header when the frame has a
/// layout), a PUNT (the rule's number before the frame) or a REFUSED, as the frame's note says.
/// </summary>
internal static class LinkHeaders
{
    /// <param name="takesTags">The link keeps port tags (a controller's, or one carrying wires); other links send no port.</param>
    /// <returns>The header's length.</returns>
    public static int Push(FrameBatch batch, int index, PeerFraming framing, bool takesTags)
    {
        var offset = batch.Offset(index);
        var length = batch.Frame(index).Length;
        if (framing == PeerFraming.Datagram) return 0;
        if (framing == PeerFraming.Length16)
        {
            Length16Header.Write(batch.Buffer(index).AsSpan(offset - Length16Header.Size), length);
            batch.Reframe(index, offset - Length16Header.Size, length + Length16Header.Size);
            return Length16Header.Size;
        }

        var note = batch.Note(index);
        if (note != ControllerNote.None) return PushForController(batch, index, note);
        ref var offload = ref batch.Offload(index);
        var withOffload = offload.IsGso || offload.NeedsChecksum; // the router sends these only to a link that carries them
        var header = EngineHeader.Size + (withOffload ? VirtioNetHeader.Length : 0);
        var start = batch.Buffer(index).AsSpan(offset - header, header);
        var tag = batch.Tag(index);
        var port = takesTags && tag >= 0 ? (ushort)tag : EngineHeader.NoPort;
        EngineHeader.Write(start, EngineMessageType.Data, port, header - EngineHeader.Size + length, withOffload ? EngineHeader.OffloadFlag : (byte)0);
        if (withOffload) VirtioNetHeader.Write(start[EngineHeader.Size..], offload);
        batch.Reframe(index, offset - header, length + header);
        return header;
    }

    /// <summary>A PUNT (the rule's number, then the frame) or a REFUSED (the reason) for a controller.</summary>
    private static int PushForController(FrameBatch batch, int index, int note)
    {
        var offset = batch.Offset(index);
        var length = batch.Frame(index).Length;
        var punted = ControllerNote.IsPunt(note);
        var header = EngineHeader.Size + (punted ? EngineHeader.PuntRuleSize : 0);
        var start = batch.Buffer(index).AsSpan(offset - header, header);
        EngineHeader.Write(start, punted ? EngineMessageType.Punt : EngineMessageType.Refused, (ushort)batch.Tag(index), header - EngineHeader.Size + length);
        if (punted) BinaryPrimitives.WriteUInt16BigEndian(start[EngineHeader.Size..], (ushort)note);
        batch.Reframe(index, offset - header, length + header);
        return header;
    }
}
