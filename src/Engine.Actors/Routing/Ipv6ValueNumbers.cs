namespace Engine.Actors.Routing;

/// <summary>
/// The distinct values an <see cref="Ipv6PrefixTable"/>'s ranges name by number, the first
/// <see cref="Ipv6PrefixTable.NoMatch"/>, at most <see cref="Ipv6PrefixTable.DistinctValueLimit"/>.
/// </summary>
/// <remarks>
/// Numbers only grow, and the array keeps spare room at its end: a table published with it reads
/// only the numbers it had, so the editor's next table may share the array and number a new value
/// in that room; when it is full the values move to a new array, and the old one stays as it was.
/// </remarks>
internal sealed class Ipv6ValueNumbers
{
    private readonly Dictionary<int, int> _numbers = new() { [Ipv6PrefixTable.NoMatch] = 0 };
    private int[] _values = new int[16];

    public Ipv6ValueNumbers() => _values[0] = Ipv6PrefixTable.NoMatch;

    /// <summary>Takes over the numbering of a table's values.</summary>
    public Ipv6ValueNumbers(int[] values)
    {
        _values = values;
        Count = values.Length;
        for (var number = 1; number < values.Length; number++)
            _numbers[values[number]] = number;
    }

    /// <summary>How many values are numbered.</summary>
    public int Count { get; private set; } = 1;

    /// <summary>The values by number; past <see cref="Count"/> the array is room for more.</summary>
    public int[] Values => _values;

    /// <summary>The values by number, in an array of exactly <see cref="Count"/>.</summary>
    public int[] ToArray() => _values.AsSpan(0, Count).ToArray();

    public int ValueOf(int number) => _values[number];

    /// <summary>The number of value, numbered now if it is new; throws past the limit.</summary>
    public int NumberOf(int value) =>
        TryNumber(value, out var number)
            ? number
            : throw new InvalidOperationException($"an IPv6 table holds at most {Ipv6PrefixTable.DistinctValueLimit} distinct values");

    /// <summary>Numbers value unless the numbering is full.</summary>
    public bool TryNumber(int value, out int number)
    {
        if (_numbers.TryGetValue(value, out number)) return true;
        if (Count == Ipv6PrefixTable.DistinctValueLimit) return false;
        if (Count == _values.Length)
            Array.Resize(ref _values, Math.Min(_values.Length * 2, Ipv6PrefixTable.DistinctValueLimit));
        number = Count++;
        _values[number] = value;
        _numbers.Add(value, number);
        return true;
    }
}
