namespace Engine.Actors.OpenFlow;

/// <summary>One field of a match: its value under its mask (a null mask is all ones: exact).</summary>
public sealed class OxmField(OxmFieldId id, byte[] value, byte[]? mask)
{
    public OxmFieldId Id { get; } = id;
    public byte[] Value { get; } = value;
    public byte[]? Mask { get; } = mask;

    public byte MaskAt(int i) => Mask is null ? (byte)0xff : Mask[i];

    /// <summary>The value as a big-endian number (fields of up to 8 bytes).</summary>
    public ulong Number
    {
        get
        {
            ulong n = 0;
            foreach (var b in Value) n = n << 8 | b;
            return n;
        }
    }

    /// <summary>The value as a big-endian number of up to 16 bytes.</summary>
    public UInt128 Number128()
    {
        UInt128 n = 0;
        foreach (var b in Value) n = n << 8 | b;
        return n;
    }

    /// <summary>The mask as a number: all ones over the field's width when the field has none.</summary>
    public UInt128 Mask128()
    {
        UInt128 n = 0;
        for (var i = 0; i < Value.Length; i++) n = n << 8 | MaskAt(i);
        return n;
    }

    /// <summary>Whether this field (of a request) holds for every frame <paramref name="narrower"/> (of an entry) takes: its mask is within the other's and the values agree under it.</summary>
    public bool Covers(OxmField narrower)
    {
        for (var i = 0; i < Value.Length; i++)
        {
            var mine = MaskAt(i);
            if ((mine & narrower.MaskAt(i)) != mine || (narrower.Value[i] & mine) != Value[i]) return false;
        }
        return true;
    }

    public bool SameAs(OxmField other) =>
        Id == other.Id && Value.AsSpan().SequenceEqual(other.Value) && (Mask ?? []).AsSpan().SequenceEqual(other.Mask ?? []);

    /// <summary>Whether some value passes both fields' masks and values.</summary>
    public bool Overlaps(OxmField other)
    {
        for (var i = 0; i < Value.Length; i++)
        {
            var both = MaskAt(i) & other.MaskAt(i);
            if ((Value[i] & both) != (other.Value[i] & both)) return false;
        }
        return true;
    }
}
