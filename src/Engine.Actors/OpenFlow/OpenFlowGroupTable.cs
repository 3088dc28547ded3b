namespace Engine.Actors.OpenFlow;

/// <summary>
/// The switch's group table (spec section 5.6), as GROUP_MODs leave it: add refuses an id in
/// use, modify one not in use, delete takes one group or all and is quiet about an unknown one.
/// Holds at most <see cref="Capacity"/> groups: one more is OUT_OF_GROUPS. Locked with the flow
/// table it belongs to.
/// </summary>
public sealed class OpenFlowGroupTable(int capacity = OpenFlowGroupTable.DefaultCapacity)
{
    public const int DefaultCapacity = 4096;

    private readonly SortedDictionary<uint, OpenFlowGroup> _groups = [];

    public int Capacity { get; } = capacity;

    public IEnumerable<OpenFlowGroup> Groups => _groups.Values;

    public int Count => _groups.Count;

    public OpenFlowGroup? Find(uint id) => _groups.GetValueOrDefault(id);

    /// <summary>Applies <paramref name="mod"/>; the ids of the groups it deleted go to <paramref name="deleted"/>, so the flows that used them can go too.</summary>
    public OfpError? Apply(OfpGroupMod mod, long nowTicks, List<uint> deleted)
    {
        switch (mod.Command)
        {
            case OfpGroupModCommand.Add:
                if (_groups.ContainsKey(mod.GroupId)) return OfpError.GroupExists;
                if (_groups.Count >= Capacity) return OfpError.OutOfGroups;
                _groups[mod.GroupId] = new OpenFlowGroup(mod.GroupId, mod.Type, mod.Buckets, nowTicks);
                return null;
            case OfpGroupModCommand.Modify:
                if (!_groups.ContainsKey(mod.GroupId)) return OfpError.UnknownGroup;
                _groups[mod.GroupId] = new OpenFlowGroup(mod.GroupId, mod.Type, mod.Buckets, nowTicks);
                return null;
            default:
                if (mod.GroupId == OfpGroupMod.AllGroups)
                {
                    deleted.AddRange(_groups.Keys);
                    _groups.Clear();
                }
                else if (_groups.Remove(mod.GroupId))
                    deleted.Add(mod.GroupId);
                return null;
        }
    }
}
