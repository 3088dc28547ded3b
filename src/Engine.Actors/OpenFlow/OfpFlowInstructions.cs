using System.Buffers.Binary;

namespace Engine.Actors.OpenFlow;

/// <summary>
/// A flow's instructions (spec section 7.2.4, already validated) taken apart once, when FLOW_MOD
/// installs or modifies the flow: the slow path runs each frame through these without walking or
/// copying the instruction bytes again, and the rule compiler reads what the fast path can carry
/// from them.
/// </summary>
public sealed class OfpFlowInstructions
{
    private const ushort GotoTableType = 1, WriteActionsType = 3, ApplyActionsType = 4, ClearActionsType = 5;

    private OfpFlowInstructions(byte[]? apply, ReadOnlyMemory<byte>[] write, bool clears, int gotoTable)
    {
        ApplyActions = apply;
        WriteActions = write;
        ClearsActions = clears;
        GotoTable = gotoTable;
    }

    /// <summary>The apply-actions instruction's action list, or null when the flow has none.</summary>
    public byte[]? ApplyActions { get; }

    /// <summary>The write-actions instruction's actions, one entry each, in their order.</summary>
    public ReadOnlyMemory<byte>[] WriteActions { get; }

    public bool ClearsActions { get; }

    /// <summary>The table goto_table leads to, or -1.</summary>
    public int GotoTable { get; }

    public bool Goes => GotoTable >= 0;

    public static OfpFlowInstructions Parse(ReadOnlySpan<byte> instructions)
    {
        byte[]? apply = null, write = null;
        var clears = false;
        var gotoTable = -1;
        while (instructions.Length >= 8)
        {
            var length = BinaryPrimitives.ReadUInt16BigEndian(instructions[2..]);
            if (length < 8 || length > instructions.Length) break;
            switch (BinaryPrimitives.ReadUInt16BigEndian(instructions))
            {
                case ApplyActionsType: apply = instructions[8..length].ToArray(); break;
                case WriteActionsType: write = instructions[8..length].ToArray(); break;
                case ClearActionsType: clears = true; break;
                case GotoTableType: gotoTable = instructions[4]; break;
            }
            instructions = instructions[length..];
        }
        return new OfpFlowInstructions(apply, Split(write), clears, gotoTable);
    }

    /// <summary>An action list cut into its actions, each a slice of <paramref name="actions"/>.</summary>
    private static ReadOnlyMemory<byte>[] Split(byte[]? actions)
    {
        if (actions is null) return [];
        var each = new List<ReadOnlyMemory<byte>>();
        for (var at = 0; actions.Length - at >= 8;)
        {
            var length = BinaryPrimitives.ReadUInt16BigEndian(actions.AsSpan(at + 2));
            if (length < 8 || length > actions.Length - at) break;
            each.Add(actions.AsMemory(at, length));
            at += length;
        }
        return [.. each];
    }
}
