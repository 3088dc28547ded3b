using System.Text;

namespace Engine.Actors.Router;

/// <summary>
/// A reason written as UTF-8 into a frame's buffer piece by piece, for a REFUSED: no allocation
/// (Utf8.TryWrite's interpolation handler allocates per call). A piece that does not fit is cut
/// off; a reason is for people to read.
/// </summary>
internal readonly ref struct ReasonText
{
    private readonly Span<byte> _destination;

    public ReasonText(Span<byte> destination) : this(destination, 0) { }

    private ReasonText(Span<byte> destination, int length)
    {
        _destination = destination;
        Length = length;
    }

    /// <summary>The bytes written so far.</summary>
    public int Length { get; }

    public ReasonText Add(string text)
    {
        var room = _destination[Length..];
        if (Encoding.UTF8.TryGetBytes(text, room, out var written)) return new(_destination, Length + written);
        return new(_destination, _destination.Length);
    }

    public ReasonText Add(int value) =>
        value.TryFormat(_destination[Length..], out var written) ? new(_destination, Length + written) : new(_destination, _destination.Length);
}
