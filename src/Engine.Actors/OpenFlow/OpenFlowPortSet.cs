namespace Engine.Actors.OpenFlow;

/// <summary>
/// The switch's ports at one moment, ordered by number, never changed once made: a reload makes
/// the next set (<see cref="With"/>, <see cref="Without"/>) and the switch swaps it in whole, so a
/// controller connection reading on another thread sees the old set or the new, never half of one.
/// A port's OpenFlow number is its engine index plus one (<see cref="NumberOf"/>). The engine
/// never gives a place to another name, and the switch's own port (where the slow path's frames
/// go) sits in a place of its own that is never a port of the set, so an added port takes a number
/// no port has had (after the switch's own place), and a port re-added takes its old number back.
/// </summary>
public sealed class OpenFlowPortSet
{
    private readonly OpenFlowPort[] _ports;

    public OpenFlowPortSet(IEnumerable<OpenFlowPort> ports)
    {
        _ports = [.. ports.OrderBy(port => port.Number)];
        for (var i = 1; i < _ports.Length; i++)
            if (_ports[i].Number == _ports[i - 1].Number)
                throw new ArgumentException($"port number {_ports[i].Number} is taken twice", nameof(ports));
    }

    public static readonly OpenFlowPortSet Empty = new([]);

    /// <summary>Every port, by number.</summary>
    public IReadOnlyList<OpenFlowPort> All => _ports;

    public int Count => _ports.Length;

    /// <summary>The OpenFlow number of the port in engine place <paramref name="engineIndex"/>.</summary>
    public static uint NumberOf(int engineIndex) => (uint)engineIndex + 1;

    /// <summary>The port numbered <paramref name="number"/>, or null (a binary search: no allocation, for the slow path).</summary>
    public OpenFlowPort? Find(uint number)
    {
        int low = 0, high = _ports.Length - 1;
        while (low <= high)
        {
            var middle = low + (high - low) / 2;
            var found = _ports[middle].Number;
            if (found == number) return _ports[middle];
            if (found < number) low = middle + 1;
            else high = middle - 1;
        }
        return null;
    }

    /// <summary>This set and <paramref name="port"/>, whose number no port of the set may have.</summary>
    public OpenFlowPortSet With(OpenFlowPort port) => new(_ports.Append(port));

    /// <summary>This set without the port numbered <paramref name="number"/> (the same set when there is none).</summary>
    public OpenFlowPortSet Without(uint number) => Find(number) is null ? this : new(_ports.Where(port => port.Number != number));
}
