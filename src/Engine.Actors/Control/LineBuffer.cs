namespace Engine.Actors.Control;

/// <summary>
/// Gathers a client's bytes into lines of at most <see cref="MaxLine"/> bytes. A client can make
/// it hold no more than that, however much it sends without a newline: past it, the line is
/// refused (<see cref="Overflowed"/>) and the session ends.
/// </summary>
public sealed class LineBuffer(int maxLine)
{
    private readonly byte[] _line = new byte[maxLine];
    private readonly Queue<byte[]> _complete = new();
    private int _length;

    public int MaxLine => maxLine;

    /// <summary>A line grew past <see cref="MaxLine"/> bytes before its newline.</summary>
    public bool Overflowed { get; private set; }

    public int Count => _complete.Count;

    /// <summary>Adds what was received; whole lines (newline and a CR before it stripped, blank lines skipped) queue up.</summary>
    public void Append(ReadOnlySpan<byte> received)
    {
        while (!received.IsEmpty && !Overflowed)
        {
            var newline = received.IndexOf((byte)'\n');
            var part = newline < 0 ? received : received[..newline];
            if (_length + part.Length > _line.Length)
            {
                Overflowed = true;
                return;
            }
            part.CopyTo(_line.AsSpan(_length));
            _length += part.Length;
            if (newline < 0) return;
            var end = _length > 0 && _line[_length - 1] == '\r' ? _length - 1 : _length;
            if (end > 0) _complete.Enqueue(_line.AsSpan(0, end).ToArray());
            _length = 0;
            received = received[(newline + 1)..];
        }
    }

    public bool TryTake(out byte[] line) => _complete.TryDequeue(out line!);
}
