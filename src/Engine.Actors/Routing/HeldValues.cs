namespace Engine.Actors.Routing;

/// <summary>
/// Numbers the distinct values a <see cref="PrefixMap{TValue}"/> holds (by reference, from 1), and
/// counts the entries holding each, so a slot carries a small number instead of a reference. A
/// number whose last entry goes is free for the next new value.
/// </summary>
internal sealed class HeldValues<TValue>(int maxNumber) where TValue : class
{
    private readonly Dictionary<TValue, int> _numbers = new(ReferenceEqualityComparer.Instance);
    private readonly Stack<int> _free = [];
    // By number; slot 0 is never used.
    private TValue?[] _values = new TValue?[8];
    private int[] _uses = new int[8];
    private int _next = 1;

    /// <summary>The distinct values held.</summary>
    public int Count => _numbers.Count;

    public TValue this[int number] => _values[number]!;

    /// <summary>The number of <paramref name="value"/>, counted once more.</summary>
    public int Hold(TValue value)
    {
        if (!_numbers.TryGetValue(value, out var number))
        {
            number = _free.Count > 0 ? _free.Pop() : NewNumber();
            _numbers.Add(value, number);
            _values[number] = value;
        }
        _uses[number]++;
        return number;
    }

    /// <summary>Counts one entry of <paramref name="number"/> less; the last lets its value go.</summary>
    public void Release(int number)
    {
        if (--_uses[number] > 0) return;
        _numbers.Remove(_values[number]!);
        _values[number] = null;
        _free.Push(number);
    }

    public void Clear()
    {
        _numbers.Clear();
        _free.Clear();
        _values = new TValue?[8];
        _uses = new int[8];
        _next = 1;
    }

    private int NewNumber()
    {
        if (_next > maxNumber)
            throw new InvalidOperationException($"a prefix map holds at most {maxNumber} distinct values");
        if (_next == _values.Length)
        {
            Array.Resize(ref _values, _values.Length * 2);
            Array.Resize(ref _uses, _uses.Length * 2);
        }
        return _next++;
    }
}
