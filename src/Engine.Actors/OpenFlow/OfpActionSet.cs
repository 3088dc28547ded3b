using System.Buffers.Binary;

namespace Engine.Actors.OpenFlow;

/// <summary>
/// A frame's action set as it goes through the tables (spec section 5.10): write-actions put
/// each action in its slot (one per type, one set_field per field), replacing what was there;
/// clear-actions empties it. At the end of the pipeline it runs in the spec's order: pop VLAN,
/// push VLAN, dec_nw_ttl, set_field, then the group, or else the output. The slots hold slices
/// of the flows' own parsed actions and the ordered list is built in a buffer kept from frame to
/// frame, so a frame through the pipeline allocates nothing here.
/// </summary>
internal sealed class OfpActionSet
{
    private const ushort Output = 0, PushVlan = 17, PopVlan = 18, DecNwTtl = 24, SetField = 25, Group = 22;
    private const int OxmFieldIds = 128;

    private ReadOnlyMemory<byte> _pop, _push, _decrement, _group, _output;
    private readonly ReadOnlyMemory<byte>[] _setFields = new ReadOnlyMemory<byte>[OxmFieldIds];
    // Which of _setFields hold an action; walking it from the lowest bit runs them in field order.
    private UInt128 _fieldsSet;
    private byte[] _ordered = new byte[256];

    public void Clear()
    {
        _pop = _push = _decrement = _group = _output = default;
        for (var bits = _fieldsSet; bits != UInt128.Zero; bits &= bits - UInt128.One)
            _setFields[(int)UInt128.TrailingZeroCount(bits)] = default;
        _fieldsSet = UInt128.Zero;
    }

    /// <summary>Puts each action of a write-actions instruction (<see cref="OfpFlowInstructions.WriteActions"/>) in its slot.</summary>
    public void Write(ReadOnlyMemory<byte>[] actions)
    {
        foreach (var action in actions)
        {
            switch (BinaryPrimitives.ReadUInt16BigEndian(action.Span))
            {
                case Output: _output = action; break;
                case PushVlan: _push = action; break;
                case PopVlan: _pop = action; break;
                case DecNwTtl: _decrement = action; break;
                case Group: _group = action; break;
                case SetField:
                    var field = action.Span[6] >> 1;
                    _setFields[field] = action;
                    _fieldsSet |= UInt128.One << field;
                    break;
            }
        }
    }

    /// <summary>The set as one action list in the order it runs; valid until the set changes.</summary>
    public ReadOnlySpan<byte> InOrder()
    {
        var length = 0;
        Append(_pop, ref length);
        Append(_push, ref length);
        Append(_decrement, ref length);
        for (var bits = _fieldsSet; bits != UInt128.Zero; bits &= bits - UInt128.One)
            Append(_setFields[(int)UInt128.TrailingZeroCount(bits)], ref length);
        // With a group the output is not run (spec section 5.10).
        Append(_group.IsEmpty ? _output : _group, ref length);
        return _ordered.AsSpan(0, length);
    }

    private void Append(ReadOnlyMemory<byte> action, ref int length)
    {
        if (action.IsEmpty) return;
        if (length + action.Length > _ordered.Length) Array.Resize(ref _ordered, Math.Max(2 * _ordered.Length, length + action.Length));
        action.Span.CopyTo(_ordered.AsSpan(length));
        length += action.Length;
    }
}
