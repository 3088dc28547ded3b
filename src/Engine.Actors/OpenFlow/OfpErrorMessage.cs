namespace Engine.Actors.OpenFlow;

/// <summary>Writes an ERROR (ofp_error_msg): its type and code, then the start of the message it answers, as the spec asks (at least 64 bytes of it, or all).</summary>
public static class OfpErrorMessage
{
    public const int EchoedBytes = 64;

    public static void Write(OfpWriter writer, OfpError error, uint xid, ReadOnlySpan<byte> offending)
    {
        writer.Begin(OfpType.Error, xid);
        writer.U16(error.Type).U16(error.Code).Bytes(offending[..Math.Min(offending.Length, EchoedBytes)]);
        writer.End();
    }

    /// <summary>An ERROR with text for the reader (HELLO_FAILED carries an ASCII reason, spec section 7.4.4).</summary>
    public static void WriteText(OfpWriter writer, OfpError error, uint xid, string text)
    {
        writer.Begin(OfpType.Error, xid);
        writer.U16(error.Type).U16(error.Code).Bytes(System.Text.Encoding.ASCII.GetBytes(text));
        writer.End();
    }
}
