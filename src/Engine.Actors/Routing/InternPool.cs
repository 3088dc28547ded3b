using System.Runtime.InteropServices;

namespace Engine.Actors.Routing;

/// <summary>
/// One shared instance of each distinct value in use, counted: a full table's million routes lead to
/// a few dozen next-hop sets, so each route holds a reference to the shared one instead of its own
/// copy. A value goes when its last user releases it.
/// </summary>
internal sealed class InternPool<T>(IEqualityComparer<T>? comparer = null) where T : class
{
    private readonly Dictionary<T, Shared> _shared = new(comparer);

    /// <summary>Number of distinct values in use.</summary>
    public int Count => _shared.Count;

    /// <summary>The shared instance equal to <paramref name="value"/> (it, when none was), counted once more.</summary>
    public T Acquire(T value)
    {
        ref var shared = ref CollectionsMarshal.GetValueRefOrAddDefault(_shared, value, out var exists);
        if (!exists) shared.Value = value;
        shared.Uses++;
        return shared.Value;
    }

    /// <summary>Counts one use of <paramref name="value"/> less; the last one removes it (and returns true).</summary>
    public bool Release(T value)
    {
        ref var shared = ref CollectionsMarshal.GetValueRefOrNullRef(_shared, value);
        if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref shared) || --shared.Uses > 0) return false;
        _shared.Remove(value);
        return true;
    }

    /// <summary>Whether <paramref name="value"/> is the shared instance, still in use.</summary>
    public bool Holds(T value) => _shared.TryGetValue(value, out var shared) && ReferenceEquals(shared.Value, value);

    /// <summary>The distinct values in use.</summary>
    public IEnumerable<T> Values => _shared.Keys;

    private struct Shared
    {
        public T Value;
        public int Uses;
    }
}
