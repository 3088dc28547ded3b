using Engine.Actors.Topology;
using Engine.Native;
using Engine.Native.Files;
using Engine.Native.Namespaces;
using Engine.Native.Netlink;

namespace Engine.Commands;

/// <summary>
/// The links that exist now, read over rtnetlink (entering a namespace only to read it), for
/// check and run to refuse a device name the kernel already uses. A lab that is running holds its
/// locks, and its own devices are not counted against it: the lock refuses that run instead.
/// Without the privilege to enter a namespace nothing can be known, and nothing is reported.
/// </summary>
internal sealed class KernelLinkNames : ILinkNames
{
    private readonly Dictionary<string, IReadOnlySet<string>> _byNamespace = new(StringComparer.Ordinal);

    public bool IsTaken(string? space, string name)
    {
        if (HeldByRunningLab(space, name)) return false;
        return LinksIn(space).Contains(name);
    }

    private static bool HeldByRunningLab(string? space, string name)
    {
        try
        {
            return PidLock.HolderOf(LabLocks.PathOf(space, name)) is not null;
        }
        catch (NativeException)
        {
            return false;
        }
    }

    private IReadOnlySet<string> LinksIn(string? space)
    {
        var key = space ?? "";
        if (!_byNamespace.TryGetValue(key, out var names))
            _byNamespace[key] = names = Read(space);
        return names;
    }

    private static IReadOnlySet<string> Read(string? space)
    {
        try
        {
            if (space is not null && !NetworkNamespace.Exists(space)) return new HashSet<string>();
            using var netlink = space is null ? RtNetlink.Open() : NetworkNamespace.OpenRtNetlink(space);
            return netlink.ListLinks().Select(link => link.Name).ToHashSet(StringComparer.Ordinal);
        }
        catch (NativeException)
        {
            return new HashSet<string>();
        }
    }
}
