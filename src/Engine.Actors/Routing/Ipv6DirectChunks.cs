namespace Engine.Actors.Routing;

/// <summary>
/// The direct table of <see cref="Ipv6PrefixTable"/> (one entry per /20 block) in chunks of
/// <see cref="ChunkSize"/> entries, one chunk per /12; chunks whose blocks are all one value are one
/// array shared between them. Built from a flat table, or edited: <see cref="Set"/> copies the array
/// of chunks and each chunk it writes to once after a <see cref="Publish"/>, never writing what a
/// published table reads.
/// </summary>
/// <remarks>
/// A full table's routes lie in a small part of the address space (2000::/3 is an eighth of it),
/// so the chunks a lookup reaches there are a few hundred KiB, and an address outside them finds one
/// shared chunk: where a flat 4 MiB table spread those lookups over 4 MiB of cache lines and pages.
/// An edit copies 32 KiB of chunk references and the 1 KiB chunks it touches instead of 4 MiB.
/// </remarks>
internal sealed class Ipv6DirectChunks
{
    public const int ChunkBits = 8;
    public const int ChunkSize = 1 << ChunkBits;
    public const int ChunkCount = 1 << (Ipv6PrefixTable.DirectBits - ChunkBits);

    private readonly ulong[] _owned = new ulong[ChunkCount / 64];
    private int[][] _chunks;
    private bool _published = true;

    /// <param name="chunks">A published table's chunks; they stay as they are.</param>
    public Ipv6DirectChunks(int[][] chunks) => _chunks = chunks;

    /// <summary>The entry of a block.</summary>
    public int this[int block] => _chunks[block >> ChunkBits][block & (ChunkSize - 1)];

    /// <summary>Gives a block its entry, copying the chunks (and the chunk) a published table still reads.</summary>
    public void Set(int block, int entry)
    {
        if (this[block] == entry) return;
        if (_published)
        {
            _chunks = (int[][])_chunks.Clone();
            Array.Clear(_owned);
            _published = false;
        }
        var chunk = block >> ChunkBits;
        if ((_owned[chunk >> 6] & 1UL << chunk) == 0)
        {
            _chunks[chunk] = (int[])_chunks[chunk].Clone();
            _owned[chunk >> 6] |= 1UL << chunk;
        }
        _chunks[chunk][block & (ChunkSize - 1)] = entry;
    }

    /// <summary>The chunks as set so far, for a table; later sets copy what they change.</summary>
    public int[][] Publish()
    {
        _published = true;
        return _chunks;
    }

    /// <summary>Chunks of a flat direct table, those whose entries are all one block value shared.</summary>
    public static int[][] FromFlat(ReadOnlySpan<int> direct)
    {
        var chunks = new int[ChunkCount][];
        var uniform = new Dictionary<int, int[]>();
        for (var chunk = 0; chunk < ChunkCount; chunk++)
        {
            var entries = direct.Slice(chunk * ChunkSize, ChunkSize);
            // Only a block of one value can be shared: ranges are the block's own.
            if (entries[0] < 0 && entries.IndexOfAnyExcept(entries[0]) < 0)
            {
                if (!uniform.TryGetValue(entries[0], out var shared))
                    uniform[entries[0]] = shared = entries.ToArray();
                chunks[chunk] = shared;
            }
            else
            {
                chunks[chunk] = entries.ToArray();
            }
        }
        return chunks;
    }

    /// <summary>The entries of all blocks in one flat array (a copy), for tests and the benchmarks' old lookup.</summary>
    public static int[] Flatten(int[][] chunks)
    {
        var direct = new int[ChunkCount * ChunkSize];
        for (var chunk = 0; chunk < ChunkCount; chunk++)
            chunks[chunk].CopyTo(direct, chunk * ChunkSize);
        return direct;
    }

    /// <summary>Bytes of the chunk references and of each distinct chunk.</summary>
    public static long SizeInBytes(int[][] chunks) =>
        (long)chunks.Length * IntPtr.Size + chunks.Distinct(ReferenceEqualityComparer.Instance).Count() * (ChunkSize * sizeof(int) + 3L * IntPtr.Size);
}
