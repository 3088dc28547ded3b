namespace Engine.Actors.OpenFlow;

/// <summary>
/// Writes one multipart reply as as many MULTIPART_REPLY messages as its entries need: a message
/// that would pass 64 KiB ends with OFPMPF_REPLY_MORE and the next one goes on (spec section 7.3.5).
/// </summary>
public sealed class OfpMultipartWriter(OfpWriter writer, uint xid, OfpMultipartType type)
{
    public const int HeaderSize = 16;
    private const ushort ReplyMore = 1;

    private bool _open;
    private int _flagsAt;

    /// <summary>Makes room for an entry of <paramref name="size"/> bytes at most, starting a new message when the open one would overflow.</summary>
    public OfpWriter Entry(int size)
    {
        if (_open && writer.MessageLength + size > OfpStreamSplitter.MaxMessage)
        {
            writer.PatchU16(_flagsAt, ReplyMore);
            writer.End();
            _open = false;
        }
        if (!_open) Open();
        return writer;
    }

    public void Finish()
    {
        if (!_open) Open();
        writer.End();
        _open = false;
    }

    private void Open()
    {
        writer.Begin(OfpType.MultipartReply, xid);
        writer.U16((ushort)type);
        _flagsAt = writer.Position;
        writer.U16(0).Zeros(4);
        _open = true;
    }
}
