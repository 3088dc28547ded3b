using System.Buffers.Binary;

namespace Engine.Actors.OpenFlow;

/// <summary>
/// A frame's action set as it goes through the tables (spec section 5.10): write-actions put
/// each action in its slot (one per type, one set_field per field), replacing what was there;
/// clear-actions empties it. At the end of the pipeline it runs in the spec's order: pop VLAN,
/// push VLAN, dec_nw_ttl, set_field, then the group, or else the output.
/// </summary>
internal sealed class OfpActionSet
{
    private const ushort Output = 0, PushVlan = 17, PopVlan = 18, DecNwTtl = 24, SetField = 25, Group = 22;

    private byte[]? _pop, _push, _decrement, _group, _output;
    private readonly SortedDictionary<byte, byte[]> _setFields = [];

    public void Clear()
    {
        _pop = _push = _decrement = _group = _output = null;
        _setFields.Clear();
    }

    /// <summary>Puts each action of a write-actions instruction (already validated) in its slot.</summary>
    public void Write(ReadOnlySpan<byte> actions)
    {
        while (actions.Length >= 8)
        {
            var length = BinaryPrimitives.ReadUInt16BigEndian(actions[2..]);
            var action = actions[..length].ToArray();
            switch (BinaryPrimitives.ReadUInt16BigEndian(actions))
            {
                case Output: _output = action; break;
                case PushVlan: _push = action; break;
                case PopVlan: _pop = action; break;
                case DecNwTtl: _decrement = action; break;
                case Group: _group = action; break;
                case SetField: _setFields[(byte)(action[6] >> 1)] = action; break;
            }
            actions = actions[length..];
        }
    }

    /// <summary>The set as one action list in the order it runs.</summary>
    public byte[] InOrder()
    {
        var list = new List<byte>();
        foreach (var action in new[] { _pop, _push, _decrement }) if (action is not null) list.AddRange(action);
        foreach (var action in _setFields.Values) list.AddRange(action);
        // With a group the output is not run (spec section 5.10).
        if ((_group ?? _output) is { } last) list.AddRange(last);
        return [.. list];
    }
}
